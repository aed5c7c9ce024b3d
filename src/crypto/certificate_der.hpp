#pragma once
// The DER bytes of a PEM certificate, as RFC 8555 §7.6 revocation requests carry them and as
// the `der` output format ([[certificate.output]]) writes the leaf.

#include <wildcert/result.hpp>

#include <cstdint>
#include <string_view>
#include <vector>

namespace wildcert::crypto {

// The first certificate of `pem`, DER-encoded. Fails (ErrorKind::crypto) when the first PEM
// block is not a parseable certificate; never throws.
[[nodiscard]] Result<std::vector<std::uint8_t>> certificate_der(std::string_view pem);

} // namespace wildcert::crypto
