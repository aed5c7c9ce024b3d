#pragma once
// The PKCS#12 password-based key derivation (RFC 7292 Appendix B), which the PFX integrity MAC
// still uses even when the bags themselves are protected with PBES2 (RFC 8018).

#include <wildcert/result.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace wildcert::crypto {

// RFC 7292 Appendix B.3: the purpose byte ("ID") that separates the derived values.
enum class Pkcs12KeyPurpose : std::uint8_t { cipher_key = 1, cipher_iv = 2, mac_key = 3 };

// A BMPString's content (ITU-T X.680 §41): big-endian UTF-16 code units. Characters beyond the
// BMP become surrogate pairs, as OpenSSL and Windows write them. Fails (ErrorKind::crypto,
// without quoting the text) on input that is not UTF-8.
[[nodiscard]] Result<std::vector<std::uint8_t>> bmp_string(std::string_view utf8);

// RFC 7292 Appendix B.1: a password as the KDF takes it, bmp_string() followed by two zero
// bytes. Fails like bmp_string(); the message never contains the password.
[[nodiscard]] Result<std::vector<std::uint8_t>> pkcs12_bmp_password(std::string_view utf8);

// RFC 7292 Appendix B.2 with SHA-256 (u = 32, v = 64 bytes): `length` bytes derived from
// `bmp_password` (already in the B.1 form) and `salt`. Deterministic; never fails.
// Precondition: iterations >= 1.
[[nodiscard]] std::vector<std::uint8_t>
pkcs12_kdf_sha256(std::span<const std::uint8_t> bmp_password, std::span<const std::uint8_t> salt,
                  Pkcs12KeyPurpose purpose, std::size_t iterations, std::size_t length);

} // namespace wildcert::crypto
