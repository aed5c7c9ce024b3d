#include "acme/jws.hpp"

#include "crypto/base64.hpp"
#include "json/json.hpp"

namespace wildcert::acme {

std::string flattened_jws(const std::string& protected_b64, const std::string& payload_b64,
                          std::span<const std::uint8_t> signature) {
    json::Writer jws;
    jws.begin_object()
        .key("protected")
        .string(protected_b64)
        .key("payload")
        .string(payload_b64)
        .key("signature")
        .string(crypto::base64url_encode(signature))
        .end_object();
    return jws.str();
}

Result<std::string> sign_jws(const crypto::PrivateKey& key, const JwsHeader& header,
                             std::string_view payload) {
    json::Writer protected_header;
    protected_header.begin_object().key("alg").string(key.jws_algorithm());
    if (header.kid.empty())
        protected_header.key("jwk").raw(key.public_jwk_json());
    else
        protected_header.key("kid").string(header.kid);
    if (!header.nonce.empty())
        protected_header.key("nonce").string(header.nonce);
    protected_header.key("url").string(header.url).end_object();

    const auto protected_b64 = crypto::base64url_encode(protected_header.str());
    const auto payload_b64 = crypto::base64url_encode(payload);
    WILDCERT_TRY(const auto signature, key.sign(protected_b64 + "." + payload_b64));

    return flattened_jws(protected_b64, payload_b64, signature);
}

} // namespace wildcert::acme
