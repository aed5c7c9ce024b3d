#pragma once
// External Account Binding (RFC 8555 §7.3.4): an inner JWS, MAC'd with a key the CA handed out,
// that ties a new ACME account key to a customer account at the CA.

#include <wildcert/profile.hpp>
#include <wildcert/result.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace wildcert::acme {

// The MAC key as bytes. Accepts base64url and standard base64, padded or not (CAs hand keys
// out in all these forms). Errors say what is wrong with the text, never the text itself.
[[nodiscard]] Result<std::vector<std::uint8_t>> decode_mac_key(std::string_view encoded);

// "HS256", "HS384" or "HS512" (RFC 7518 §3.1).
[[nodiscard]] const char* jws_algorithm(EabAlgorithm algorithm);

// The "externalAccountBinding" member of a newAccount payload, as JSON text: a flattened JWS
// with protected {"alg", "kid": key_id, "url": new_account_url} (no nonce), payload = the
// account's public JWK (the same JWK as the outer "jwk"), signed with the MAC key.
[[nodiscard]] std::string sign_external_account_binding(EabAlgorithm algorithm,
                                                        std::string_view key_id,
                                                        const std::vector<std::uint8_t>& mac_key,
                                                        std::string_view account_jwk_json,
                                                        std::string_view new_account_url);

} // namespace wildcert::acme
