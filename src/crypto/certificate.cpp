#include "crypto/certificate.hpp"

#include "crypto/digest.hpp"

#include <botan/pem.h>
#include <botan/pkix_types.h>
#include <botan/x509cert.h>

#include <exception>

namespace wildcert::crypto {
namespace {

constexpr std::string_view k_begin = "-----BEGIN ";
constexpr std::string_view k_dashes = "-----";
constexpr std::string_view k_certificate_label = "CERTIFICATE";
// Labels come from the input: show enough to recognise "PRIVATE KEY" and the like, no more.
constexpr std::size_t k_max_label_shown = 32;

// One "-----BEGIN X-----" ... "-----END X-----" block as found in the text.
struct PemBlock {
    std::string_view label;
    std::string_view text; // from BEGIN through the END line's closing dashes
};

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool only_whitespace(std::string_view text) {
    for (const char c : text) {
        if (!is_space(c))
            return false;
    }
    return true;
}

Error chain_error(const std::string& what) {
    return make_error(ErrorKind::crypto, "certificate chain: " + what);
}

std::string block_name(std::size_t index) {
    return "block " + std::to_string(index + 1);
}

// Splits text into PEM blocks; anything but whitespace around them is an error, because a
// truncated or concatenated download must not pass for a shorter valid chain.
Result<std::vector<PemBlock>> split_pem(std::string_view text) {
    std::vector<PemBlock> blocks;
    std::size_t pos = 0;
    while (true) {
        const std::size_t begin = text.find(k_begin, pos);
        if (!only_whitespace(text.substr(
                pos, begin == std::string_view::npos ? std::string_view::npos : begin - pos)))
            return chain_error("unexpected text " +
                               (blocks.empty() ? std::string("before the first PEM block")
                                               : "after " + block_name(blocks.size() - 1)));
        if (begin == std::string_view::npos)
            break;
        const std::size_t label_start = begin + k_begin.size();
        const std::size_t label_end = text.find(k_dashes, label_start);
        const std::size_t line_end = text.find('\n', label_start);
        if (label_end == std::string_view::npos || label_end > line_end)
            return chain_error(block_name(blocks.size()) + ": malformed BEGIN line");
        const std::string_view label = text.substr(label_start, label_end - label_start);
        const std::string end_marker = "-----END " + std::string(label) + std::string(k_dashes);
        const std::size_t end = text.find(end_marker, label_end + k_dashes.size());
        if (end == std::string_view::npos)
            return chain_error(block_name(blocks.size()) + ": no matching END line");
        pos = end + end_marker.size();
        blocks.push_back(PemBlock{label, text.substr(begin, pos - begin)});
    }
    if (blocks.empty())
        return chain_error("no PEM certificate found");
    return blocks;
}

// Botan hands out the serial's magnitude; DER INTEGER content keeps a 0x00 in front when the
// high bit is set (X.690 §8.3.2), and ARI identifies certificates by exactly those octets.
std::vector<std::uint8_t> serial_content_octets(std::vector<std::uint8_t> magnitude) {
    if (magnitude.empty() || (magnitude.front() & 0x80U) != 0)
        magnitude.insert(magnitude.begin(), 0x00);
    return magnitude;
}

CertificateInfo describe(const Botan::X509_Certificate& cert) {
    CertificateInfo info;
    info.pem = cert.PEM_encode();
    info.subject = cert.subject_dn().to_string();
    info.issuer = cert.issuer_dn().to_string();
    info.issuer_cn = cert.issuer_dn().get_first_attribute("CN");
    info.subject_cn = cert.subject_dn().get_first_attribute("CN");
    info.dns_names = cert.subject_alt_name().get_attribute("DNS");
    // Botan gives the magnitude only, without the DER sign byte.
    info.serial_hex = hex_lower(cert.serial_number());
    info.not_before = cert.not_before().to_std_timepoint();
    info.not_after = cert.not_after().to_std_timepoint();
    info.public_key_der = cert.subject_public_key_info();
    info.authority_key_id = cert.authority_key_id();
    info.serial_der = serial_content_octets(cert.serial_number());
    const auto der = cert.BER_encode();
    info.sha256_hex =
        hex_lower(sha256(std::string_view(reinterpret_cast<const char*>(der.data()), der.size())));
    return info;
}

} // namespace

Result<std::vector<CertificateInfo>> parse_pem_chain(std::string_view pem) {
    try {
        WILDCERT_TRY(const auto blocks, split_pem(pem));
        std::vector<CertificateInfo> chain;
        chain.reserve(blocks.size());
        for (std::size_t i = 0; i < blocks.size(); ++i) {
            if (blocks[i].label != k_certificate_label)
                return chain_error(block_name(i) + " is a \"" +
                                   std::string(blocks[i].label.substr(0, k_max_label_shown)) +
                                   "\" PEM block, not a certificate");
            try {
                const auto der = Botan::PEM_Code::decode_check_label(
                    std::string(blocks[i].text), std::string(k_certificate_label));
                const Botan::X509_Certificate cert(der.data(), der.size());
                chain.push_back(describe(cert));
            } catch (const std::exception& e) {
                return chain_error(block_name(i) + ": " + e.what());
            }
        }
        return chain;
    } catch (const std::exception& e) {
        // Allocation failures and the like: the contract is to never throw.
        return chain_error(e.what());
    }
}

Result<CertificateInfo> parse_der_certificate(std::string_view der) {
    try {
        const Botan::X509_Certificate cert(reinterpret_cast<const std::uint8_t*>(der.data()),
                                           der.size());
        return describe(cert);
    } catch (const std::exception& e) {
        return make_error(ErrorKind::crypto,
                          std::string("certificate does not parse: ") + e.what());
    }
}

} // namespace wildcert::crypto
