#pragma once
// Per-KeyType algorithm parameters shared by the key and verification code (no Botan here).

#include <wildcert/key_type.hpp>

#include <cstddef>
#include <optional>

namespace wildcert::crypto {

struct EcParams {
    const char* curve;       // Botan EC_Group name
    const char* jwk_crv;     // RFC 7518 §6.2.1.1
    const char* jws_alg;     // RFC 7518 §3.4
    const char* hash;        // the hash paired with the curve (RFC 7518 §3.4)
    const char* emsa;        // Botan padding for JWS signatures with that hash
    std::size_t coord_bytes; // full coordinate length, RFC 7518 §6.2.1.2
};

// Empty for RSA key types.
[[nodiscard]] std::optional<EcParams> ec_params(KeyType type);

// Modulus size in bits; empty for EC key types.
[[nodiscard]] std::optional<std::size_t> rsa_bits(KeyType type);

// The RSA KeyType with exactly this modulus size, if we support it.
[[nodiscard]] std::optional<KeyType> rsa_key_type(std::size_t bits);

} // namespace wildcert::crypto
