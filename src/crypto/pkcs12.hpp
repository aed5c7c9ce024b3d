#pragma once
// PKCS#12 files (RFC 7292): a private key and its certificate chain in one password-protected
// file, the format firewalls, Windows (IIS) and Java key stores import. Botan 2 reads PKCS#12
// but has no writer, so the file is assembled here from DER pieces (pkcs12_bags.hpp).

#include <wildcert/result.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace wildcert::crypto {

// OpenSSL 3's `pkcs12 -export` defaults (PKCS12_DEFAULT_ITER), for the key encryption and the
// MAC alike; at least what RFC 8018 §4.2 asks (1000).
inline constexpr std::size_t k_pkcs12_iterations = 2048;

struct Pkcs12Input {
    std::string_view private_key_pem; // unencrypted PKCS#8 (live/privkey.pem); a secret
    std::string_view leaf_pem;        // the certificate of that key
    std::string_view chain_pem;       // the intermediates, zero or more PEM certificates
    std::string_view friendly_name;   // the entry's name in importers (Java's alias); UTF-8
    std::string_view password;        // UTF-8, may be empty; a secret
};

// A PFX (RFC 7292 §4) holding, in one unencrypted SafeContents, a certBag for the leaf (with
// localKeyId = SHA-1 of its DER, the convention of OpenSSL and Windows, and friendlyName) and
// one per intermediate; and, in a second SafeContents, a pkcs8ShroudedKeyBag (PBES2 with
// PBKDF2-HMAC-SHA-256 and AES-256-CBC, RFC 8018 §6.2; the password as UTF-8 bytes, as
// OpenSSL 3 does) with the same localKeyId and friendlyName. Integrity: HMAC-SHA-256 over
// the AuthenticatedSafe, keyed with the RFC 7292 Appendix B.2 KDF (pkcs12_kdf.hpp) and a
// fresh 16-byte salt. Fresh salts and IVs make each call's output different.
// Fails with ErrorKind::crypto when an input does not parse or the key is not the leaf's;
// no message ever contains the password or the key.
[[nodiscard]] Result<std::vector<std::uint8_t>> make_pkcs12(const Pkcs12Input& input);

} // namespace wildcert::crypto
