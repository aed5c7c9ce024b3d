#include "crypto/certificate_der.hpp"

#include <botan/data_src.h>
#include <botan/x509cert.h>

#include <exception>

namespace wildcert::crypto {

Result<std::vector<std::uint8_t>> certificate_der(std::string_view pem) {
    try {
        Botan::DataSource_Memory source(reinterpret_cast<const std::uint8_t*>(pem.data()),
                                        pem.size());
        // Parsing (not just base64-decoding) makes sure the CA is sent a certificate.
        const Botan::X509_Certificate certificate(source);
        return certificate.BER_encode();
    } catch (const std::exception& error) {
        return make_error(ErrorKind::crypto, std::string("certificate: ") + error.what());
    }
}

} // namespace wildcert::crypto
