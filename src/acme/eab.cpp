#include "acme/eab.hpp"

#include "acme/jws.hpp"
#include "crypto/base64.hpp"
#include "crypto/digest.hpp"
#include "json/json.hpp"

namespace wildcert::acme {
namespace {

crypto::HmacHash hash_of(EabAlgorithm algorithm) {
    switch (algorithm) {
    case EabAlgorithm::hs256:
        return crypto::HmacHash::sha256;
    case EabAlgorithm::hs384:
        return crypto::HmacHash::sha384;
    case EabAlgorithm::hs512:
        return crypto::HmacHash::sha512;
    }
    return crypto::HmacHash::sha256;
}

} // namespace

Result<std::vector<std::uint8_t>> decode_mac_key(std::string_view encoded) {
    auto decoded = crypto::base64url_decode(encoded);
    if (!decoded.ok())
        return make_error(ErrorKind::profile, "EAB MAC key: " + decoded.error().message);
    if (decoded->empty())
        return make_error(ErrorKind::profile, "EAB MAC key: empty");
    return decoded;
}

const char* jws_algorithm(EabAlgorithm algorithm) {
    switch (algorithm) {
    case EabAlgorithm::hs256:
        return "HS256";
    case EabAlgorithm::hs384:
        return "HS384";
    case EabAlgorithm::hs512:
        return "HS512";
    }
    return "HS256";
}

std::string sign_external_account_binding(EabAlgorithm algorithm, std::string_view key_id,
                                          const std::vector<std::uint8_t>& mac_key,
                                          std::string_view account_jwk_json,
                                          std::string_view new_account_url) {
    json::Writer protected_header;
    protected_header.begin_object()
        .key("alg")
        .string(jws_algorithm(algorithm))
        .key("kid")
        .string(key_id)
        .key("url")
        .string(new_account_url)
        .end_object();
    const auto protected_b64 = crypto::base64url_encode(protected_header.str());
    const auto payload_b64 = crypto::base64url_encode(account_jwk_json);
    const auto mac = crypto::hmac(hash_of(algorithm), mac_key, protected_b64 + "." + payload_b64);

    return flattened_jws(protected_b64, payload_b64, mac);
}

} // namespace wildcert::acme
