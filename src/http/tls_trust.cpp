#include "http/tls_trust.hpp"

#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>

#include <array>
#include <ctime>

namespace wildcert::http {
namespace {

int observer_index() {
    static const int index = X509_STORE_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
    return index;
}

std::string name_text(const X509_NAME* name) {
    if (name == nullptr)
        return {};
    std::array<char, 512> buffer{};
    X509_NAME_oneline(name, buffer.data(), static_cast<int>(buffer.size()));
    std::string text(buffer.data());
    // "/CN=localhost/O=x" reads better as "CN=localhost, O=x".
    if (!text.empty() && text.front() == '/')
        text.erase(0, 1);
    for (std::size_t i = 0; (i = text.find('/', i)) != std::string::npos;)
        text.replace(i, 1, ", ");
    return text;
}

std::string time_text(const ASN1_TIME* time) {
    std::tm tm{};
    if (time == nullptr || ASN1_TIME_to_tm(time, &tm) != 1)
        return {};
    std::array<char, 32> buffer{};
    const auto size = std::strftime(buffer.data(), buffer.size(), "%Y-%m-%dT%H:%M:%SZ", &tm);
    return std::string(buffer.data(), size);
}

struct GeneralNamesDeleter {
    void operator()(GENERAL_NAMES* names) const { GENERAL_NAMES_free(names); }
};

// RFC 5280 §4.2.1.6: the DNS and IP names the certificate is valid for.
std::vector<std::string> subject_alt_names(X509* cert) {
    std::vector<std::string> names;
    const std::unique_ptr<GENERAL_NAMES, GeneralNamesDeleter> all(static_cast<GENERAL_NAMES*>(
        X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr)));
    if (!all)
        return names;
    for (int i = 0; i < sk_GENERAL_NAME_num(all.get()); ++i) {
        const GENERAL_NAME* name = sk_GENERAL_NAME_value(all.get(), i);
        if (name->type == GEN_DNS) {
            const auto* data = ASN1_STRING_get0_data(name->d.dNSName);
            names.push_back("DNS:" + std::string(reinterpret_cast<const char*>(data),
                                                 ASN1_STRING_length(name->d.dNSName)));
        } else if (name->type == GEN_IPADD) {
            const int length = ASN1_STRING_length(name->d.iPAddress);
            const auto* data = ASN1_STRING_get0_data(name->d.iPAddress);
            std::array<char, INET6_ADDRSTRLEN> text{};
            const int family = length == 4 ? AF_INET : length == 16 ? AF_INET6 : 0;
            if (family != 0 && inet_ntop(family, data, text.data(), text.size()) != nullptr)
                names.push_back("IP:" + std::string(text.data()));
        }
    }
    return names;
}

// Called by OpenSSL for every certificate of the chain and for every error. Returns `ok`
// unchanged: this hook explains, it never decides.
int record_verification(int ok, X509_STORE_CTX* context) {
    auto* seen = static_cast<TlsObservation*>(
        X509_STORE_get_ex_data(X509_STORE_CTX_get0_store(context), observer_index()));
    if (seen == nullptr)
        return ok;
    X509* cert = X509_STORE_CTX_get_current_cert(context);
    const int depth = X509_STORE_CTX_get_error_depth(context);
    if (cert != nullptr && depth == 0 && !seen->seen_leaf) {
        seen->seen_leaf = true;
        seen->names = subject_alt_names(cert);
        if (seen->depth < 0)
            seen->subject = name_text(X509_get_subject_name(cert));
    }
    if (ok == 0 && seen->verify_result == X509_V_OK) {
        seen->verify_result = X509_STORE_CTX_get_error(context);
        seen->depth = depth;
        if (cert != nullptr) {
            seen->subject = name_text(X509_get_subject_name(cert));
            seen->issuer = name_text(X509_get_issuer_name(cert));
            seen->not_before = time_text(X509_get0_notBefore(cert));
            seen->not_after = time_text(X509_get0_notAfter(cert));
        }
    }
    return ok;
}

} // namespace

Result<X509StorePtr> make_trust_store(const std::optional<std::filesystem::path>& ca_bundle,
                                      const std::string& host, TlsObservation* observer) {
    X509StorePtr store(X509_STORE_new());
    if (!store)
        return make_error(ErrorKind::network, "cannot allocate a TLS trust store");
    // A private CA must not make public CAs untrusted, and the reverse.
    X509_STORE_set_default_paths(store.get());
    if (ca_bundle) {
        if (X509_STORE_load_locations(store.get(), ca_bundle->c_str(), nullptr) != 1) {
            ERR_clear_error();
            return make_error(ErrorKind::io, "acme.ca_bundle " + ca_bundle->string() +
                                                 ": cannot load PEM certificates from it");
        }
    }
    // cpp-httplib 0.11.4 checks the host after the handshake too, but its IP-address branch
    // compares an uninitialised in6_addr for IPv4 hosts; OpenSSL's check here decides first.
    X509_VERIFY_PARAM* param = X509_STORE_get0_param(store.get());
    if (X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str()) != 1) {
        X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
        if (X509_VERIFY_PARAM_set1_host(param, host.c_str(), host.size()) != 1)
            return make_error(ErrorKind::network, "cannot set up TLS host checking for " + host);
    }
    ERR_clear_error(); // a missing system path leaves errors that belong to no request
    X509_STORE_set_ex_data(store.get(), observer_index(), observer);
    X509_STORE_set_verify_cb(store.get(), record_verification);
    return store;
}

} // namespace wildcert::http
