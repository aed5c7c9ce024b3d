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
};

// The deploy part of a run (docs/dev/architecture.md §2, "The parts"): given the log, the
// sink hooks report to, the cancel flag and where audit events go, nothing else.
class DeployRunner {
public:
    DeployRunner(const ProgressLog& log, LogSink hook_sink, std::function<bool()> cancelled,
                 AuditSink audit)
        : m_log(log), m_hook_sink(std::move(hook_sink)), m_cancelled(std::move(cancelled)),
          m_audit(std::move(audit)) {}

    // Writes the outputs, then runs the hooks (stopping at the first failure). Never throws
    // away what is installed: a failure is reported for the next run to retry. A dry run
    // writes no outputs and records no audit event for its hooks.
    [[nodiscard]] DeployReport deploy(const DeployTarget& target) const;

private:
    const ProgressLog& m_log;
    LogSink m_hook_sink;
    std::function<bool()> m_cancelled;
    AuditSink m_audit;
};

} // namespace wildcert::core
