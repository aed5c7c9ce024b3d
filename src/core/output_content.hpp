#pragma once
// The bytes of one [[certificate.output]], made from the files installed under live/.

#include "store/state_dir.hpp"

#include <wildcert/profile.hpp>
#include <wildcert/result.hpp>

#include <string>
#include <string_view>

namespace wildcert::core {

// pem-bundle: the private key, then the leaf, then the intermediates, each PEM block on its
// own lines (the order HAProxy's `crt` and most appliances expect). pkcs12: see
// crypto/pkcs12.hpp, with `friendly_name` as the entry's name. der: the leaf alone, DER.
// Fails with ErrorKind::crypto when the files do not parse; the message never holds the key
// or the password. Binary content is returned in a std::string.
[[nodiscard]] Result<std::string> output_content(const OutputSettings& output,
                                                 std::string_view friendly_name,
                                                 const store::CertificateFiles& files);

} // namespace wildcert::core
