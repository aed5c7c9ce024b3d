#pragma once
// After a certificate changed: its [[certificate.output]] copies, then its deploy hooks.

#include "core/client_state.hpp"
#include "store/state_dir.hpp"

#include <wildcert/renewal.hpp>

namespace wildcert::core {

struct DeployTarget {
    const CertificateSettings* certificate = nullptr;
    std::filesystem::path live_dir; // where the PEM files are (a scratch folder in a dry run)
    store::CertificateFiles files;
    std::string serial_hex;
    std::chrono::system_clock::time_point not_after;
    bool dry_run = false; // no outputs; hooks only when run_hooks
    bool run_hooks = true;
};

// Writes the outputs, then runs the hooks (stopping at the first failure). Never throws away
// what is installed: a failure is reported for the next run to retry.
[[nodiscard]] DeployReport deploy(Client::State& state, const DeployTarget& target);

} // namespace wildcert::core
