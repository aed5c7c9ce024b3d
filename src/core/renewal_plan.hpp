#pragma once
// Whether a certificate is due, decided from the state directory alone (no network): the
// renew fast path that keeps a run over a thousand certificates near-instant.

#include "store/certificate_record.hpp"
#include "store/state_dir.hpp"

#include <wildcert/profile.hpp>
#include <wildcert/result.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace wildcert::core {

// What the state directory says about one certificate.
struct LocalCertificate {
    std::optional<unsigned long> version;           // live/<name>'s archive version
    std::optional<store::CertificateRecord> record; // info.txt (or rebuilt from the PEM files)
    store::CertificateStatus status;                // status/<name>.txt when it is about `version`
};

// Reads live/<name> and status/<name>.txt. A live certificate from before info.txt existed is
// described from its PEM files (slower, but only once: the next issuance writes info.txt).
[[nodiscard]] Result<LocalCertificate> read_local_certificate(const store::StateDir& state_dir,
                                                              const std::string& name);

struct RenewalPlan {
    bool due = false;
    bool needs_ari = false;      // the CA offers ARI and no fresh answer is cached: ask it
    bool deploy_pending = false; // an output is missing, or the last deploy did not finish
    std::string reason;          // one line: why (not) due
    std::optional<std::chrono::system_clock::time_point> renew_at;
};

// The renewal rules (docs/dev/architecture.md §6, renew): missing, names or key type changed, the
// CA's cached ARI window, else renew_before of the lifetime. `force` makes everything due, with
// `forced_reason` as the reason (what asked for it: --force, --dry-run, `issue`).
[[nodiscard]] RenewalPlan plan_renewal(const CertificateSettings& certificate,
                                       const LocalCertificate& local,
                                       std::chrono::system_clock::time_point now, bool force,
                                       std::string_view forced_reason = "forced (--force)");

} // namespace wildcert::core
