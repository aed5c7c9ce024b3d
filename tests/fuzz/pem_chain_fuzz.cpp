// libFuzzer target: the PEM chain a CA returns for a certificate URL (RFC 8555 §7.4.2). The
// body is untrusted server input: any bytes must give a chain or an error, never a crash, a
// sanitizer report or an exception escaping src/crypto.
#include "crypto/certificate.hpp"
#include "crypto/certificate_der.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view pem(reinterpret_cast<const char*>(data), size);
    (void)wildcert::crypto::parse_pem_chain(pem).ok();
    (void)wildcert::crypto::certificate_der(pem).ok();
    return 0;
}
