#include "crypto/pkcs12.hpp"

#include "crypto/certificate.hpp"
#include "crypto/certificate_der.hpp"
#include "crypto/pkcs12_bags.hpp"
#include "crypto/pkcs12_kdf.hpp"

#include <botan/data_src.h>
#include <botan/hash.h>
#include <botan/mac.h>
#include <botan/pk_keys.h>
#include <botan/pkcs8.h>
#include <botan/system_rng.h>
#include <botan/x509cert.h>

#include <exception>
#include <memory>
#include <string>
#include <utility>

namespace wildcert::crypto {
namespace {

using pkcs12::Der;

// RFC 7292 §4 leaves the salt length open; 16 bytes is what NIST SP 800-132 §5.1 asks of a
// password-based salt (OpenSSL uses 8).
constexpr std::size_t k_mac_salt_bytes = 16;
constexpr std::size_t k_mac_key_bytes = 32; // HMAC-SHA-256 keys as long as the hash output

Error pkcs12_error(const std::string& what) {
    return make_error(ErrorKind::crypto, "PKCS#12: " + what);
}

Botan::DataSource_Memory memory_source(std::string_view text) {
    return Botan::DataSource_Memory(reinterpret_cast<const std::uint8_t*>(text.data()),
                                    text.size());
}

bool is_blank(std::string_view text) {
    return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// The intermediates, in the order given (the order RFC 8555 §7.4.2 delivers them).
Result<std::vector<Der>> intermediates_der(std::string_view chain_pem) {
    std::vector<Der> out;
    if (is_blank(chain_pem))
        return out;
    auto parsed = parse_pem_chain(chain_pem);
    if (!parsed.ok())
        return parsed.error().with_context("PKCS#12: intermediates");
    const auto chain = std::move(parsed).value();
    for (const auto& certificate : chain) {
        WILDCERT_TRY(Der der, certificate_der(certificate.pem));
        out.push_back(std::move(der));
    }
    return out;
}

Der sha1(std::span<const std::uint8_t> data) {
    const auto hash = Botan::HashFunction::create_or_throw("SHA-1");
    hash->update(data.data(), data.size());
    const auto digest = hash->final();
    return {digest.begin(), digest.end()};
}

Der hmac_sha256(std::span<const std::uint8_t> key, std::span<const std::uint8_t> data) {
    const auto mac = Botan::MessageAuthenticationCode::create_or_throw("HMAC(SHA-256)");
    mac->set_key(key.data(), key.size());
    mac->update(data.data(), data.size());
    const auto tag = mac->final();
    return {tag.begin(), tag.end()};
}

// The MAC over the AuthenticatedSafe's DER, which is the content octets of the authSafe
// ContentInfo's OCTET STRING (RFC 7292 §4, §5.1 step 3 and Appendix B for the key).
Der mac_data(std::span<const std::uint8_t> auth_safe, std::span<const std::uint8_t> bmp_password,
             Botan::RandomNumberGenerator& rng) {
    const auto salt_bytes = rng.random_vec(k_mac_salt_bytes);
    const Der salt(salt_bytes.begin(), salt_bytes.end());
    const Der key = pkcs12_kdf_sha256(bmp_password, salt, Pkcs12KeyPurpose::mac_key,
                                      k_pkcs12_iterations, k_mac_key_bytes);
    return pkcs12::sha256_mac_data(hmac_sha256(key, auth_safe), salt, k_pkcs12_iterations);
}

Result<Der> build(const Pkcs12Input& input, Botan::RandomNumberGenerator& rng) {
    WILDCERT_TRY(const Der bmp_password, pkcs12_bmp_password(input.password));
    auto friendly = bmp_string(input.friendly_name);
    if (!friendly.ok())
        return pkcs12_error("friendly name: " + friendly.error().message);

    auto key_source = memory_source(input.private_key_pem);
    const std::unique_ptr<Botan::Private_Key> key = Botan::PKCS8::load_key(key_source);
    auto leaf_source = memory_source(input.leaf_pem);
    const Botan::X509_Certificate leaf(leaf_source);
    // A file whose key does not open its certificate imports "fine" and then fails in the
    // TLS handshake on the appliance: refuse it here.
    if (key->subject_public_key() != leaf.subject_public_key_info())
        return pkcs12_error("the private key does not belong to the leaf certificate");
    WILDCERT_TRY(const std::vector<Der> intermediates, intermediates_der(input.chain_pem));

    const Der leaf_der = leaf.BER_encode();
    const pkcs12::BagAttributes attributes{sha1(leaf_der), std::move(friendly).value()};
    std::vector<Der> certificate_bags{pkcs12::cert_bag(leaf_der, attributes)};
    for (const Der& der : intermediates)
        certificate_bags.push_back(pkcs12::cert_bag(der, {}));

    const Der encrypted_key = Botan::PKCS8::BER_encode_encrypted_pbkdf_iter(
        *key, rng, std::string(input.password), k_pkcs12_iterations, "AES-256/CBC", "SHA-256");
    const std::vector<Der> key_bags{pkcs12::shrouded_key_bag(encrypted_key, attributes)};

    const Der auth_safe =
        pkcs12::sequence_of({pkcs12::data_content_info(pkcs12::sequence_of(certificate_bags)),
                             pkcs12::data_content_info(pkcs12::sequence_of(key_bags))});
    return pkcs12::pfx(pkcs12::data_content_info(auth_safe),
                       mac_data(auth_safe, bmp_password, rng));
}

} // namespace

Result<std::vector<std::uint8_t>> make_pkcs12(const Pkcs12Input& input) {
    try {
        Botan::System_RNG rng;
        return build(input, rng);
    } catch (const std::exception& error) {
        // Botan's parse errors name the structure, never the bytes (nor the password, which
        // it is only handed for encryption).
        return pkcs12_error(error.what());
    }
}

} // namespace wildcert::crypto
