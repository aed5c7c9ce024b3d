#pragma once
// The path of one certificate (ARCHITECTURE.md §2), once the account is set up.

#include "core/client_state.hpp"

#include <wildcert/client.hpp>
#include <wildcert/result.hpp>

#include <vector>

namespace wildcert::core {

// Every certificate of `certificates` in one batch: all orders are placed, all their records
// published together and checked in one propagation loop, all challenges answered, then each
// order is finalized. One result per certificate, in order; a failing certificate does not
// stop the others unless the shared DNS step fails.
[[nodiscard]] std::vector<Result<IssuedCertificate>>
issue_certificates(Client::State& state, const std::vector<CertificateSettings>& certificates);

} // namespace wildcert::core
