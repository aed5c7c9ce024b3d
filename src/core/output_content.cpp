#include "core/output_content.hpp"

#include "crypto/certificate_der.hpp"
#include "crypto/pkcs12.hpp"

#include <cstdint>
#include <span>
#include <vector>

namespace wildcert::core {
namespace {

// PEM parsers (RFC 7468 §2) need each block to start on a line of its own.
void append_pem(std::string& out, std::string_view pem) {
    if (pem.empty())
        return;
    out += pem;
    if (out.back() != '\n')
        out += '\n';
}

std::string to_string(std::span<const std::uint8_t> bytes) {
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

} // namespace

Result<std::string> output_content(const OutputSettings& output, std::string_view friendly_name,
                                   const store::CertificateFiles& files) {
    switch (output.format) {
    case OutputFormat::pem_bundle: {
        std::string bundle;
        append_pem(bundle, files.privkey_pem);
        append_pem(bundle, files.cert_pem);
        append_pem(bundle, files.chain_pem);
        return bundle;
    }
    case OutputFormat::pkcs12: {
        WILDCERT_TRY(const auto der,
                     crypto::make_pkcs12({files.privkey_pem, files.cert_pem, files.chain_pem,
                                          friendly_name, output.password}));
        return to_string(der);
    }
    case OutputFormat::der: {
        WILDCERT_TRY(const auto der, crypto::certificate_der(files.cert_pem));
        return to_string(der);
    }
    }
    return make_error(ErrorKind::crypto, "unknown output format");
}

} // namespace wildcert::core
