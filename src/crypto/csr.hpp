#pragma once

#include "crypto/private_key.hpp"

#include <wildcert/result.hpp>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace wildcert::crypto {

// A PKCS#10 request (DER) for exactly these DNS names as SANs (wildcards included), signed
// with the certificate key. The subject CN is the first name when it fits in 64 characters.
[[nodiscard]] Result<std::vector<std::uint8_t>> make_csr_der(const PrivateKey& key,
                                                             std::span<const std::string> names);

// The subjectAltName dNSName entries of a DER PKCS#10 request, in order. Fails when the DER
// does not parse or the request's self-signature does not verify. For tests and for checking
// a request before it is sent.
[[nodiscard]] Result<std::vector<std::string>> csr_dns_names(std::span<const std::uint8_t> der);

} // namespace wildcert::crypto
