#pragma once

#include "crypto/certificate.hpp"
#include "crypto/private_key.hpp"
#include "store/state_dir.hpp"

#include <wildcert/result.hpp>

#include <span>
#include <string>

namespace wildcert::core {

struct CheckedChain {
    store::CertificateFiles files;
    crypto::CertificateInfo leaf;
};

// Checks a downloaded chain before anything is installed (RFC 8555 §11.4: chains may be
// malformed): it parses, the leaf carries our public key and exactly the ordered names.
// Then splits it into the live/ files.
[[nodiscard]] Result<CheckedChain> check_chain(const std::string& chain_pem,
                                               const crypto::PrivateKey& key,
                                               std::span<const std::string> names);

} // namespace wildcert::core
