#pragma once
// Turning a failed verification of the server's TLS certificate into a message a user can act
// on. No OpenSSL types here: the observation is plain data, so the wording is unit-tested.

#include <string>
#include <vector>

namespace wildcert::http {

// What the handshake showed about the server's certificate (filled in tls_trust.cpp).
struct TlsObservation {
    // OpenSSL's verify result (X509_V_OK = 0, X509_V_ERR_*). 0 with a failed verification means
    // the chain was fine and the host name check after the handshake failed.
    long verify_result = 0;
    int depth = -1;                 // where the first error was: 0 = the server's own certificate
    std::string subject;            // of the certificate at `depth`, e.g. "CN=localhost"
    std::string issuer;             // of that certificate
    std::string not_before;         // of that certificate, "2026-11-29T12:00:00Z"
    std::string not_after;          // of that certificate
    std::vector<std::string> names; // the server certificate's names: "DNS:x", "IP:127.0.0.1"
    bool seen_leaf = false;         // the server's own certificate was examined
};

// The profile settings a fix goes into: the CA's by default, a DNS provider's for its API.
struct TlsSettingNames {
    std::string ca_bundle = "acme.ca_bundle";
    std::string url = "acme.directory";
};

// The message for a TLS verification failure of `url`, whose host is `host`. Says what is
// wrong in OpenSSL's words, the dates or names that show it, and what to do (in `names`).
// Verification is never switched off, so no message suggests that.
[[nodiscard]] std::string describe_tls_failure(const std::string& url, const std::string& host,
                                               const TlsObservation& seen,
                                               const TlsSettingNames& names = {});

} // namespace wildcert::http
