#include "crypto/pkcs12_bags.hpp"

#include <botan/asn1_obj.h>
#include <botan/der_enc.h>

namespace wildcert::crypto::pkcs12 {
namespace {

// RFC 5652 §4 id-data
const char* const k_id_data = "1.2.840.113549.1.7.1";
// RFC 7292 Appendix D: bag types and the certificate type of a CertBag
const char* const k_pkcs8_shrouded_key_bag = "1.2.840.113549.1.12.10.1.2";
const char* const k_cert_bag = "1.2.840.113549.1.12.10.1.3";
const char* const k_x509_certificate = "1.2.840.113549.1.9.22.1";
// RFC 2985 §5.5.1, §5.5.2
const char* const k_friendly_name = "1.2.840.113549.1.9.20";
const char* const k_local_key_id = "1.2.840.113549.1.9.21";
// RFC 5754 §2.2 id-sha256 (parameters NULL in a DigestInfo, as RFC 8017 §9.2 note 1 writes it)
const char* const k_sha256 = "2.16.840.1.101.3.4.2.1";

// PKCS12Attribute { attrId, attrValues SET OF } with one value of `tag`.
void encode_attribute(Botan::DER_Encoder& der, const char* oid, Botan::ASN1_Tag tag,
                      const Der& value) {
    der.start_cons(Botan::SEQUENCE)
        .encode(Botan::OID(oid))
        .start_cons(Botan::SET)
        .add_object(tag, Botan::UNIVERSAL, value)
        .end_cons()
        .end_cons();
}

// SafeBag { bagId, [0] EXPLICIT bagValue, bagAttributes SET OF OPTIONAL }. Botan's encoder
// sorts SET members, which DER requires (X.690 §11.6).
Der safe_bag(const char* bag_id, std::span<const std::uint8_t> value,
             const BagAttributes& attributes) {
    Der out;
    Botan::DER_Encoder der(out);
    der.start_cons(Botan::SEQUENCE)
        .encode(Botan::OID(bag_id))
        .start_explicit(0)
        .raw_bytes(value.data(), value.size())
        .end_explicit();
    if (!attributes.local_key_id.empty() || !attributes.friendly_name.empty()) {
        der.start_cons(Botan::SET);
        if (!attributes.friendly_name.empty())
            encode_attribute(der, k_friendly_name, Botan::BMP_STRING, attributes.friendly_name);
        if (!attributes.local_key_id.empty())
            encode_attribute(der, k_local_key_id, Botan::OCTET_STRING, attributes.local_key_id);
        der.end_cons();
    }
    der.end_cons();
    return out;
}

} // namespace

Der cert_bag(std::span<const std::uint8_t> certificate_der, const BagAttributes& attributes) {
    Der value;
    Botan::DER_Encoder(value)
        .start_cons(Botan::SEQUENCE)
        .encode(Botan::OID(k_x509_certificate))
        .start_explicit(0)
        .encode(certificate_der.data(), certificate_der.size(), Botan::OCTET_STRING)
        .end_explicit()
        .end_cons();
    return safe_bag(k_cert_bag, value, attributes);
}

Der shrouded_key_bag(std::span<const std::uint8_t> encrypted_private_key_info,
                     const BagAttributes& attributes) {
    return safe_bag(k_pkcs8_shrouded_key_bag, encrypted_private_key_info, attributes);
}

Der sequence_of(const std::vector<Der>& items) {
    Der out;
    Botan::DER_Encoder der(out);
    der.start_cons(Botan::SEQUENCE);
    for (const Der& item : items)
        der.raw_bytes(item);
    der.end_cons();
    return out;
}

Der data_content_info(std::span<const std::uint8_t> content) {
    Der out;
    Botan::DER_Encoder(out)
        .start_cons(Botan::SEQUENCE)
        .encode(Botan::OID(k_id_data))
        .start_explicit(0)
        .encode(content.data(), content.size(), Botan::OCTET_STRING)
        .end_explicit()
        .end_cons();
    return out;
}

Der sha256_mac_data(std::span<const std::uint8_t> mac, std::span<const std::uint8_t> salt,
                    std::size_t iterations) {
    Der out;
    Botan::DER_Encoder(out)
        .start_cons(Botan::SEQUENCE)
        .start_cons(Botan::SEQUENCE)
        .encode(Botan::AlgorithmIdentifier(Botan::OID(k_sha256),
                                           Botan::AlgorithmIdentifier::USE_NULL_PARAM))
        .encode(mac.data(), mac.size(), Botan::OCTET_STRING)
        .end_cons()
        .encode(salt.data(), salt.size(), Botan::OCTET_STRING)
        .encode(iterations)
        .end_cons();
    return out;
}

Der pfx(std::span<const std::uint8_t> auth_safe_content_info,
        std::span<const std::uint8_t> mac_data) {
    constexpr std::size_t k_version = 3; // RFC 7292 §4: v3
    Der out;
    Botan::DER_Encoder(out)
        .start_cons(Botan::SEQUENCE)
        .encode(k_version)
        .raw_bytes(auth_safe_content_info.data(), auth_safe_content_info.size())
        .raw_bytes(mac_data.data(), mac_data.size())
        .end_cons();
    return out;
}

} // namespace wildcert::crypto::pkcs12
