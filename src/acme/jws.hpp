#pragma once
// JSON Web Signature in the flattened serialization ACME requires (RFC 8555 §6.2, RFC 7515).

#include "crypto/private_key.hpp"

#include <wildcert/result.hpp>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace wildcert::acme {

struct JwsHeader {
    std::string url;   // exactly the URL the request goes to (RFC 8555 §6.4)
    std::string nonce; // empty: no nonce (inner JWS of a key change)
    std::string kid;   // account URL; empty: embed the public key as "jwk" (newAccount)
};

// {"protected", "payload", "signature"}: the flattened serialization (RFC 7515 §7.2.2) of
// already-encoded parts; `signature` is raw bytes. Shared by account JWS and the EAB MAC.
[[nodiscard]] std::string flattened_jws(const std::string& protected_b64,
                                        const std::string& payload_b64,
                                        std::span<const std::uint8_t> signature);

// Signs `payload` (already JSON text; "" for POST-as-GET, RFC 8555 §6.3) with `key`.
[[nodiscard]] Result<std::string> sign_jws(const crypto::PrivateKey& key, const JwsHeader& header,
                                           std::string_view payload);

} // namespace wildcert::acme
