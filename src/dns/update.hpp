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

// Proves that `key` may add and delete each of these TXT values without changing the zone:
// one UPDATE whose update section adds each value and then deletes it again (RFC 2136 §2.5.1
// then §2.5.4, applied in order, §3.4.2, and as a whole, §3.7). The server checks its policy
// for every record (BIND: update-policy or allow-update) before it applies any. Measured with
// BIND 9.18: NOERROR, the SOA serial stays, no journal is written; a policy that does not
// cover a name answers REFUSED for the whole message. Use values nobody publishes (a value
// that is there already would be deleted). Errors as add_txt.
[[nodiscard]] Result<void> probe_txt_update(const ServerAddress& server, const TsigKey& key,
                                            std::string_view zone,
                                            std::span<const TxtChange> changes,
                                            const UpdateOptions& options = {});

// Proves that `server` accepts `key` for updates of `zone` without changing the zone: one
// signed UPDATE whose only content is the prerequisite "the zone's SOA RRset exists" (RFC 2136
// §2.4.1, true for any loaded zone) and no update RRs. Errors as add_txt (BADSIG, BADKEY,
// BADTIME, REFUSED, NOTAUTH, timeout); never names the secret. Idempotent.
[[nodiscard]] Result<void> check_update_access(const ServerAddress& server, const TsigKey& key,
                                               std::string_view zone,
                                               const UpdateOptions& options = {});

} // namespace wildcert::dns
