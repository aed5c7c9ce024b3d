#pragma once
// What the client needs to know about an issued certificate chain.

#include <wildcert/result.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace wildcert::crypto {

struct CertificateInfo {
    std::string pem;                    // this certificate alone, PEM
    std::string subject;                // RFC 4514-ish text, for humans
    std::string issuer;                 // "
    std::string issuer_cn;              // issuer common name ("" when absent)
    std::string subject_cn;             // subject common name ("" when absent)
    std::vector<std::string> dns_names; // subjectAltName dNSName entries, as written
    std::string serial_hex; // lower-case hex, no sign byte (matches openssl -serial, lower)
    std::chrono::system_clock::time_point not_before;
    std::chrono::system_clock::time_point not_after;
    std::vector<std::uint8_t> public_key_der; // SubjectPublicKeyInfo
    // RFC 5280 §4.2.1.1 keyIdentifier of the authorityKeyIdentifier extension (empty when
    // absent) and the serial's DER content octets, sign byte included: the two halves of an
    // ARI CertID (RFC 9773 §4.1).
    std::vector<std::uint8_t> authority_key_id;
    std::vector<std::uint8_t> serial_der;
    // SHA-256 of the certificate's DER, lower-case hex: what endpoint verification compares.
    std::string sha256_hex;
};

// Parses a PEM chain (leaf first, as RFC 8555 §7.4.2 delivers it). Fails on an empty
// chain, a non-certificate PEM block, or garbage between blocks; never throws.
[[nodiscard]] Result<std::vector<CertificateInfo>> parse_pem_chain(std::string_view pem);

// One DER certificate, as a TLS server sent it. ErrorKind::crypto when it does not parse.
[[nodiscard]] Result<CertificateInfo> parse_der_certificate(std::string_view der);

} // namespace wildcert::crypto
