// verify_ec_signature, declared in private_key.hpp: it needs no private key.
#include "crypto/private_key.hpp"

#include "crypto/base64.hpp"
#include "crypto/key_params.hpp"

#include <botan/bigint.h>
#include <botan/ec_group.h>
#include <botan/ecdsa.h>
#include <botan/pubkey.h>

#include <exception>

namespace wildcert::crypto {
namespace {

Error verify_error(const std::string& what) {
    return make_error(ErrorKind::crypto, "verify EC signature: " + what);
}

Result<Botan::BigInt> decode_coordinate(std::string_view name, std::string_view b64url,
                                        std::size_t coord_bytes) {
    WILDCERT_TRY(const auto bytes, base64url_decode(b64url));
    // RFC 7518 §6.2.1.2: coordinates are full length, never shortened.
    if (bytes.size() != coord_bytes)
        return verify_error(std::string(name) + " is " + std::to_string(bytes.size()) +
                            " bytes, expected " + std::to_string(coord_bytes));
    return Botan::BigInt(bytes.data(), bytes.size());
}

} // namespace

Result<bool> verify_ec_signature(KeyType type, std::string_view x_b64url, std::string_view y_b64url,
                                 std::string_view signing_input,
                                 std::span<const std::uint8_t> signature) {
    const auto ec = ec_params(type);
    if (!ec)
        return verify_error(std::string("not an EC key type: ") + to_string(type));
    WILDCERT_TRY(const Botan::BigInt x, decode_coordinate("x", x_b64url, ec->coord_bytes));
    WILDCERT_TRY(const Botan::BigInt y, decode_coordinate("y", y_b64url, ec->coord_bytes));
    // A JWS ECDSA signature is exactly R||S (RFC 7518 §3.4); any other length is not valid.
    if (signature.size() != 2 * ec->coord_bytes)
        return false;
    try {
        const Botan::EC_Group group(ec->curve);
        if (x >= group.get_p() || y >= group.get_p())
            return verify_error(std::string("coordinate out of range for ") + ec->jwk_crv);
        const Botan::PointGFp point = group.point(x, y);
        if (!point.on_the_curve() || point.is_zero())
            return verify_error(std::string("public point is not on ") + ec->jwk_crv);
        const Botan::ECDSA_PublicKey key(group, point);
        Botan::PK_Verifier verifier(key, ec->emsa, Botan::IEEE_1363);
        return verifier.verify_message(reinterpret_cast<const std::uint8_t*>(signing_input.data()),
                                       signing_input.size(), signature.data(), signature.size());
    } catch (const std::exception& e) {
        return verify_error(e.what());
    }
}

} // namespace wildcert::crypto
