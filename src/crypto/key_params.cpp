#include "crypto/key_params.hpp"

namespace wildcert::crypto {

std::optional<EcParams> ec_params(KeyType type) {
    switch (type) {
    case KeyType::ec_p256:
        return EcParams{"secp256r1", "P-256", "ES256", "SHA-256", "EMSA1(SHA-256)", 32};
    case KeyType::ec_p384:
        return EcParams{"secp384r1", "P-384", "ES384", "SHA-384", "EMSA1(SHA-384)", 48};
    case KeyType::rsa_2048:
    case KeyType::rsa_3072:
    case KeyType::rsa_4096:
        break;
    }
    return std::nullopt;
}

std::optional<std::size_t> rsa_bits(KeyType type) {
    switch (type) {
    case KeyType::rsa_2048:
        return 2048;
    case KeyType::rsa_3072:
        return 3072;
    case KeyType::rsa_4096:
        return 4096;
    case KeyType::ec_p256:
    case KeyType::ec_p384:
        break;
    }
    return std::nullopt;
}

std::optional<KeyType> rsa_key_type(std::size_t bits) {
    for (const KeyType type : {KeyType::rsa_2048, KeyType::rsa_3072, KeyType::rsa_4096}) {
        if (rsa_bits(type) == bits)
            return type;
    }
    return std::nullopt;
}

} // namespace wildcert::crypto
