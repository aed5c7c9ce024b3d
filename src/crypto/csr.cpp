#include "crypto/csr.hpp"

#include "crypto/key_params.hpp"

#include <botan/data_src.h>
#include <botan/pk_keys.h>
#include <botan/pkcs10.h>
#include <botan/pkcs8.h>
#include <botan/pkix_types.h>
#include <botan/system_rng.h>
#include <botan/x509self.h>

#include <exception>

namespace wildcert::crypto {
namespace {

// RFC 5280 Appendix A.1: ub-common-name is 64 characters.
constexpr std::size_t k_max_common_name = 64;

Error csr_error(const std::string& what) {
    return make_error(ErrorKind::crypto, "CSR: " + what);
}

// DNS names travel as IA5String (RFC 5280 §4.2.1.6): printable ASCII without spaces.
bool is_plausible_dns_name(const std::string& name) {
    if (name.empty())
        return false;
    for (const char c : name) {
        if (c <= ' ' || c > '~')
            return false;
    }
    return true;
}

// PrivateKey keeps its Botan object private to its own file; going through its PKCS#8
// encoding keeps that boundary, at the cost of one parse per certificate request.
std::unique_ptr<Botan::Private_Key> to_botan_key(const PrivateKey& key) {
    const std::string pem = key.to_pem();
    Botan::DataSource_Memory source(pem);
    return Botan::PKCS8::load_key(source);
}

// Sign with the hash that goes with the curve (SHA-384 for P-384); SHA-256 for RSA.
const char* csr_hash(KeyType type) {
    if (const auto ec = ec_params(type))
        return ec->hash;
    return "SHA-256";
}

} // namespace

Result<std::vector<std::uint8_t>> make_csr_der(const PrivateKey& key,
                                               std::span<const std::string> names) {
    if (names.empty())
        return csr_error("no DNS names given");
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (!is_plausible_dns_name(names[i]))
            return csr_error("name " + std::to_string(i + 1) +
                             " is empty or has characters outside printable ASCII");
    }
    try {
        const auto botan_key = to_botan_key(key);
        Botan::X509_Cert_Options opts;
        // CAs read the names from the SAN extension (RFC 8555 §7.4); the CN is only a
        // courtesy for tools that still show it, and only when it fits.
        if (names.front().size() <= k_max_common_name)
            opts.common_name = names.front();
        opts.more_dns.assign(names.begin(), names.end());
        const Botan::PKCS10_Request request = Botan::X509::create_cert_req(
            opts, *botan_key, csr_hash(key.type()), Botan::system_rng());
        return request.BER_encode();
    } catch (const std::exception& e) {
        return csr_error(e.what());
    }
}

Result<std::vector<std::string>> csr_dns_names(std::span<const std::uint8_t> der) {
    try {
        const Botan::PKCS10_Request request(std::vector<std::uint8_t>(der.begin(), der.end()));
        const std::unique_ptr<Botan::Public_Key> public_key(request.subject_public_key());
        if (!public_key || !request.check_signature(*public_key))
            return csr_error("the request's signature does not verify");
        return request.subject_alt_name().get_attribute("DNS");
    } catch (const std::exception& e) {
        return csr_error(std::string("cannot parse DER request: ") + e.what());
    }
}

} // namespace wildcert::crypto
