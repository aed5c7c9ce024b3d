#include "http/tls_failure.hpp"

#include "common/printable.hpp"

#include <openssl/x509_vfy.h>

namespace wildcert::http {
namespace {

// The names come from the peer's certificate: escaped, like all peer text.
std::string joined(const std::vector<std::string>& names) {
    std::string text;
    for (const auto& name : names)
        text += (text.empty() ? "" : ", ") + common::printable(name);
    return text;
}

// " (subject CN=x, notAfter 2026-...)": the facts that show the reason, when known.
std::string facts(std::initializer_list<std::pair<const char*, const std::string*>> items) {
    std::string text;
    for (const auto& [label, value] : items) {
        if (!value->empty())
            text += (text.empty() ? "" : ", ") + std::string(label) + " " + *value;
    }
    return text.empty() ? text : " (" + text + ")";
}

std::string where(const TlsObservation& seen) {
    if (seen.depth <= 0)
        return "the server's certificate";
    return "certificate " + std::to_string(seen.depth) + " of the chain the server sent";
}

bool is_untrusted(long result) {
    switch (result) {
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_CERT_UNTRUSTED:
        return true;
    default:
        return false;
    }
}

} // namespace

std::string describe_tls_failure(const std::string& url, const std::string& host,
                                 const TlsObservation& seen, const TlsSettingNames& settings) {
    const std::string prefix = url + ": the server's TLS certificate did not verify: ";
    const long result = seen.verify_result;
    // httplib checks the host name itself after a handshake whose chain verified (result 0);
    // OpenSSL's own check would report X509_V_ERR_HOSTNAME_MISMATCH.
    if (result == X509_V_OK || result == X509_V_ERR_HOSTNAME_MISMATCH ||
        result == X509_V_ERR_IP_ADDRESS_MISMATCH) {
        if (!seen.seen_leaf)
            return prefix + "the server sent no certificate";
        const std::string names =
            seen.names.empty() ? "no DNS or IP names, only " + seen.subject : joined(seen.names);
        return prefix + "it does not name " + host + " (it names " + names +
               "); use the host name the certificate was issued for in " + settings.url +
               ", or have "
               "the server present a certificate for " +
               host;
    }
    const std::string reason = X509_verify_cert_error_string(result);
    if (result == X509_V_ERR_CERT_HAS_EXPIRED) {
        return prefix + reason + ": " + where(seen) + " expired" +
               facts({{"notAfter", &seen.not_after}, {"subject", &seen.subject}}) +
               "; the server must present a current certificate (if it does, check this "
               "machine's clock)";
    }
    if (result == X509_V_ERR_CERT_NOT_YET_VALID) {
        return prefix + reason + ": " + where(seen) + " is not valid yet" +
               facts({{"notBefore", &seen.not_before}, {"subject", &seen.subject}}) +
               "; check this machine's clock";
    }
    if (is_untrusted(result)) {
        return prefix + reason + facts({{"subject", &seen.subject}, {"issuer", &seen.issuer}}) +
               ": its issuer is not trusted by the system store or " + settings.ca_bundle +
               "; if this is your private CA, put its root certificate (PEM) in " +
               settings.ca_bundle;
    }
    return prefix + reason + facts({{"subject", &seen.subject}}) + " (OpenSSL verify result " +
           std::to_string(result) + ")";
}

} // namespace wildcert::http
