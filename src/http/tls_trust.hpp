#pragma once
// The trust store for HTTPS connections and the hook that records what the handshake showed
// about the server's certificate, so a failure can be explained (tls_failure.hpp).

#include "http/tls_failure.hpp"

#include <wildcert/result.hpp>

#include <openssl/x509_vfy.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace wildcert::http {

struct X509StoreDeleter {
    void operator()(X509_STORE* store) const { X509_STORE_free(store); }
};
using X509StorePtr = std::unique_ptr<X509_STORE, X509StoreDeleter>;

// The system trust store plus the certificates of `ca_bundle` (never instead of the system
// store), for connections to `host`: OpenSSL itself checks during the chain verification that
// the server's certificate names `host` (RFC 6125 / RFC 9525: a DNS name, or an IP address
// SAN for an IP literal), so the result does not rest on httplib's own check alone. Every
// verification through the store writes into `*observer`, which must outlive the store; the
// caller clears it before a request. The hook only records; it never changes a verdict.
[[nodiscard]] Result<X509StorePtr>
make_trust_store(const std::optional<std::filesystem::path>& ca_bundle, const std::string& host,
                 TlsObservation* observer);

} // namespace wildcert::http
