#pragma once
// The path of one certificate (docs/dev/architecture.md §2), once the account is set up.

#include "core/challenge_records.hpp"
#include "core/client_state.hpp"
#include "core/order_stages.hpp"

#include <wildcert/client.hpp>
#include <wildcert/result.hpp>

#include <vector>

namespace wildcert::core {

struct IssueOptions {
    std::size_t concurrency = 1; // orders handled at once (each worker its own connection)
    // Where the new versions go; nullptr: the state directory (a dry run passes a scratch one).
    const store::StateDir* install_into = nullptr;
};

// Every certificate of `certificates` in one batch: all orders are placed, all their records
// published together and checked in one propagation loop, all challenges answered, then each
// order is finalized. One result per certificate, in order; a failing certificate does not
// stop the others unless the shared propagation check fails (a zone the provider refuses
// fails the certificates with names in it). The account must be set up; `zones` may hold
// what the access check found already.
[[nodiscard]] std::vector<Result<IssuedFiles>>
issue_certificates(Client::State& state, const std::vector<CertificateSettings>& certificates,
                   const IssueOptions& options, ZoneFinder& zones);

} // namespace wildcert::core
