#pragma once
// Account and certificate keys. Botan stays behind this header.

#include <wildcert/key_type.hpp>
#include <wildcert/result.hpp>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace wildcert::crypto {

class PrivateKey {
public:
    // Generates a fresh key from the system RNG.
    [[nodiscard]] static Result<PrivateKey> generate(KeyType type);
    // Loads an unencrypted PKCS#8 PEM key (what to_pem writes). Types outside KeyType are
    // refused with a message naming what was found.
    [[nodiscard]] static Result<PrivateKey> from_pem(std::string_view pem);
    // For known-answer tests: RSA from big-endian n, e, d.
    [[nodiscard]] static Result<PrivateKey> from_rsa_components(std::span<const std::uint8_t> n,
                                                                std::span<const std::uint8_t> e,
                                                                std::span<const std::uint8_t> d);
    // For known-answer tests: EC from the private scalar d (curve from type).
    [[nodiscard]] static Result<PrivateKey> from_ec_scalar(KeyType type,
                                                           std::span<const std::uint8_t> d);

    PrivateKey(PrivateKey&&) noexcept;
    PrivateKey& operator=(PrivateKey&&) noexcept;
    ~PrivateKey();

    [[nodiscard]] KeyType type() const;
    // Unencrypted PKCS#8 PEM. A secret: never log it.
    [[nodiscard]] std::string to_pem() const;
    // "ES256" (P-256), "ES384" (P-384) or "RS256" (RSA), RFC 7518 §3.1.
    [[nodiscard]] std::string jws_algorithm() const;
    // The public JWK with only the required members in lexicographic order and no whitespace
    // (RFC 7638 §3.2): usable both as the thumbprint input and as the JWS "jwk" header.
    // EC coordinates are full length; RSA n and e are minimal (RFC 7518 §6).
    [[nodiscard]] std::string public_jwk_json() const;
    // base64url(SHA-256(public_jwk_json())), RFC 7638.
    [[nodiscard]] std::string thumbprint() const;
    // A JWS signature over signing_input: raw R||S for ECDSA (64 or 96 bytes), PKCS#1 v1.5
    // for RSA (RFC 7518 §3.3, §3.4).
    [[nodiscard]] Result<std::vector<std::uint8_t>> sign(std::string_view signing_input) const;
    // DER SubjectPublicKeyInfo, to compare with a certificate's key.
    [[nodiscard]] std::vector<std::uint8_t> public_key_der() const;

    struct Impl;

private:
    explicit PrivateKey(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

// Verifies a JWS signature made with an EC P-256/P-384 key given by its JWK coordinates
// (base64url x, y). Used by tests and for checking our own output.
[[nodiscard]] Result<bool> verify_ec_signature(KeyType type, std::string_view x_b64url,
                                               std::string_view y_b64url,
                                               std::string_view signing_input,
                                               std::span<const std::uint8_t> signature);

} // namespace wildcert::crypto
