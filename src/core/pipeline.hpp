#pragma once
// The one issuance run (docs/dev/architecture.md, "The pipeline"): `wildcert issue`,
// `wildcert renew` and the library's Client::issue, issue_all and renew all go through
// run_pipeline, so each gets the same locks, journal, dry-run handling, outputs and deploy.

#include "core/client_state.hpp"

#include <wildcert/profile.hpp>
#include <wildcert/renewal.hpp>

#include <vector>

namespace wildcert::core {

// Stages, in order:
//   select  decide from the state directory alone; what is not due is reported and done
//   lock    take each due certificate's lock (in name order), decide again, ask ARI if needed
//   issue   the due ones as one batch (batch.cpp, issuance.cpp): order, publish, wait,
//           answer, validate, clean up, finalize, install
//   deploy  outputs and hooks for what changed and for what an earlier run left undeployed
// One report per certificate, in order; `listener` hears each as soon as it is known.
[[nodiscard]] std::vector<CertificateReport>
run_pipeline(Client::State& state, const std::vector<CertificateSettings>& certificates,
             const RenewOptions& options, const RenewalListener& listener);

} // namespace wildcert::core
