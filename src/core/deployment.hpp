#pragma once
// After a certificate changed: its [[certificate.output]] copies, then its deploy hooks.

#include "core/audit_event.hpp"
#include "core/progress_log.hpp"
#include "store/state_dir.hpp"

#include <wildcert/renewal.hpp>

#include <functional>

namespace wildcert::core {

struct DeployTarget {
    const CertificateSettings* certificate = nullptr;
    std::filesystem::path live_dir; // where the PEM files are (a scratch folder in a dry run)
    store::CertificateFiles files;
    std::string serial_hex;
    std::chrono::system_clock::time_point not_after;
    bool dry_run = false; // no outputs; hooks only when run_hooks
    bool run_hooks = true;
    // Targets ("<entry index> <target>") an earlier run deployed this version to: skipped.
    std::vector<std::string> already_deployed{};
};

// The deploy part of a run (docs/dev/architecture.md §2, "The parts"): given the log, the
// sink hooks report to, the cancel flag and where audit events go, nothing else.
class DeployRunner {
public:
    DeployRunner(const ProgressLog& log, LogSink hook_sink, std::function<bool()> cancelled,
                 AuditSink audit)
        : m_log(log), m_hook_sink(std::move(hook_sink)), m_cancelled(std::move(cancelled)),
          m_audit(std::move(audit)) {}

    // Writes the outputs, then deploys each [[certificate.deploy]] entry in order: a command
    // runs (a failed one stops the entries after it), another deployer deploys to its
    // targets a few at a time, each target then verified, then the entry's own endpoints.
    // Never throws away what is installed: a failure is reported for the next run, which
    // deploys only to the targets not in `already_deployed`. A dry run writes no outputs,
    // deploys only to entries marked dry_run (and commands), verifies nothing and records no
    // audit event.
    [[nodiscard]] DeployReport deploy(const DeployTarget& target) const;

private:
    const ProgressLog& m_log;
    LogSink m_hook_sink;
    std::function<bool()> m_cancelled;
    AuditSink m_audit;
};

} // namespace wildcert::core
