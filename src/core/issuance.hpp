#pragma once
// The path of one certificate (ARCHITECTURE.md §2), once the account is set up.

#include "core/client_state.hpp"

#include <wildcert/client.hpp>
#include <wildcert/result.hpp>

namespace wildcert::core {

[[nodiscard]] Result<IssuedCertificate> issue_certificate(Client::State& state,
                                                          const CertificateSettings& certificate);

} // namespace wildcert::core
