#pragma once
// RFC 2136 dynamic update with TSIG (RFC 8945), through ldns.

#include "dns/server_address.hpp"

#include <wildcert/result.hpp>

#include <chrono>
#include <span>
#include <string>

namespace wildcert::dns {

// TSIG algorithms ldns 1.8.3 can sign with (hmac-sha224/384 are broken there).
enum class TsigAlgorithm { hmac_sha256, hmac_sha512, hmac_sha1, hmac_md5 };

// "hmac-sha256", "hmac-sha512", "hmac-sha1", "hmac-md5" (also the long
// "hmac-md5.sig-alg.reg.int"); case-insensitive, trailing dot allowed.
[[nodiscard]] Result<TsigAlgorithm> parse_tsig_algorithm(std::string_view text);

// Checks that a TSIG secret is padded base64 (RFC 4648 §4), as tsig-keygen prints it. The error
// never contains the secret.
[[nodiscard]] Result<void> check_tsig_secret(std::string_view secret_base64);

struct TsigKey {
    std::string name; // key name as configured in the server ("acme-key")
    TsigAlgorithm algorithm = TsigAlgorithm::hmac_sha256;
    std::string secret_base64; // a secret: never in messages
};

struct TxtChange {
    std::string fqdn;  // absolute owner name
    std::string value; // TXT string
    std::chrono::seconds ttl{60};
};

struct UpdateOptions {
    std::chrono::milliseconds timeout{std::chrono::seconds(10)};
};

// Sends one UPDATE message to `server` for `zone` (TCP) that adds each value to its TXT set
// (class IN: never replaces the set). Errors name the server and what it said: REFUSED,
// NOTAUTH, NOTZONE, BADSIG, BADKEY, BADTIME, timeout. REFUSED, NOTAUTH and NOTZONE (TSIG
// errors come as NOTAUTH) are ErrorKind::refused: the server applied none of the message.
[[nodiscard]] Result<void> add_txt(const ServerAddress& server, const TsigKey& key,
                                   std::string_view zone, std::span<const TxtChange> changes,
                                   const UpdateOptions& options = {});

// Sends one UPDATE that deletes exactly these RRs (class NONE, TTL 0): other values at the
// same names stay. Deleting a value that is not there is success (RFC 2136 §3.4.2.4).
[[nodiscard]] Result<void> remove_txt(const ServerAddress& server, const TsigKey& key,
                                      std::string_view zone, std::span<const TxtChange> changes,
                                      const UpdateOptions& options = {});

// Proves that `server` accepts `key` for updates of `zone` without changing the zone: one
// signed UPDATE whose only content is the prerequisite "the zone's SOA RRset exists" (RFC 2136
// §2.4.1, true for any loaded zone) and no update RRs. Errors as add_txt (BADSIG, BADKEY,
// BADTIME, REFUSED, NOTAUTH, timeout); never names the secret. Idempotent.
[[nodiscard]] Result<void> check_update_access(const ServerAddress& server, const TsigKey& key,
                                               std::string_view zone,
                                               const UpdateOptions& options = {});

} // namespace wildcert::dns
