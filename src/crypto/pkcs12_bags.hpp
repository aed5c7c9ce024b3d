#pragma once
// The DER building blocks of a PKCS#12 file (RFC 7292 §4.2, RFC 5652 §3), kept apart from the
// assembly in pkcs12.cpp so each can be read against its ASN.1 module.

#include <cstdint>
#include <span>
#include <vector>

namespace wildcert::crypto::pkcs12 {

using Der = std::vector<std::uint8_t>;

// RFC 7292 §4.2 bagAttributes; an empty member is left out.
struct BagAttributes {
    Der local_key_id;  // pkcs-9 localKeyId (RFC 2985 §5.5.2): pairs a key with its certificate
    Der friendly_name; // pkcs-9 friendlyName (RFC 2985 §5.5.1): BMPString content octets
};

// SafeBag { certBag, CertBag { x509Certificate, [0] OCTET STRING cert } } (RFC 7292 §4.2.3).
[[nodiscard]] Der cert_bag(std::span<const std::uint8_t> certificate_der,
                           const BagAttributes& attributes);

// SafeBag { pkcs8ShroudedKeyBag, EncryptedPrivateKeyInfo } (RFC 7292 §4.2.2).
[[nodiscard]] Der shrouded_key_bag(std::span<const std::uint8_t> encrypted_private_key_info,
                                   const BagAttributes& attributes);

// SEQUENCE OF the already encoded `items` (SafeContents, AuthenticatedSafe).
[[nodiscard]] Der sequence_of(const std::vector<Der>& items);

// ContentInfo { id-data, [0] EXPLICIT OCTET STRING content } (RFC 5652 §3, §4).
[[nodiscard]] Der data_content_info(std::span<const std::uint8_t> content);

// MacData { DigestInfo { sha256, mac }, macSalt, iterations } (RFC 7292 §4).
[[nodiscard]] Der sha256_mac_data(std::span<const std::uint8_t> mac,
                                  std::span<const std::uint8_t> salt, std::size_t iterations);

// PFX { version 3, authSafe, macData } (RFC 7292 §4).
[[nodiscard]] Der pfx(std::span<const std::uint8_t> auth_safe_content_info,
                      std::span<const std::uint8_t> mac_data);

} // namespace wildcert::crypto::pkcs12
