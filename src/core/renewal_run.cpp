// Client::renew and Client::inspect: the unattended path (ARCHITECTURE.md §6, renew).
#include <wildcert/client.hpp>

#include "core/audit.hpp"
#include "core/batch.hpp"
#include "core/client_state.hpp"
#include "core/deployment.hpp"
#include "core/renewal_decision.hpp"
#include "core/renewal_plan.hpp"
#include "core/state_preflight.hpp"
#include "core/stored_certificates.hpp"
#include "store/atomic_file.hpp"
#include "store/file_lock.hpp"

#include <algorithm>
#include <unistd.h>

namespace wildcert {

const char* to_string(RenewalStatus status) {
    switch (status) {
    case RenewalStatus::issued:
        return "issued";
    case RenewalStatus::renewed:
        return "renewed";
    case RenewalStatus::not_due:
        return "not-due";
    case RenewalStatus::failed:
        return "failed";
    case RenewalStatus::locked:
        return "locked";
    }
    return "failed";
}

namespace {

using Clock = std::chrono::system_clock;

std::int64_t to_unix(Clock::time_point time) {
    return std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
}

// One certificate on its way through a renew run.
struct Candidate {
    std::size_t index; // into the certificates and reports
    core::LocalCertificate local;
    core::RenewalPlan plan;
    std::optional<store::FileLock> lock;
};

void describe_current(CertificateReport& report, const core::LocalCertificate& local) {
    if (!local.record)
        return;
    report.serial_hex = local.record->serial_hex;
    report.issuer = local.record->issuer;
    report.not_after = Clock::time_point(std::chrono::seconds(local.record->not_after));
}

// The CA offers ARI and no fresh answer is cached: ask it now (under the lock), and cache the
// answer in status/<name>.txt until its Retry-After, so the next runs stay off the network.
void ask_ari(Client::State& state, const CertificateSettings& certificate, Candidate& candidate,
             Clock::time_point now) {
    auto& plan = candidate.plan;
    const auto pem = state.state_dir.current_certificate(certificate.name);
    if (!core::ensure_account(state).ok() || !pem.ok() || !*pem) {
        plan.due = true;
        plan.reason = "the CA's renewal information could not be asked; renewing";
        return;
    }
    const auto decision = core::decide_renewal(&*state.acme, **pem, now, core::system_uniform(),
                                               certificate.renew_before.fraction);
    if (!decision.ok()) {
        plan.due = true;
        plan.reason = decision.error().message;
        return;
    }
    plan.due = decision->due;
    plan.renew_at = decision->renew_at;
    plan.reason = decision->reason;
    if (decision->from_ari) {
        auto status = candidate.local.status;
        status.ari_renew_at = to_unix(decision->renew_at);
        status.ari_check_at =
            to_unix(now + decision->check_again_in.value_or(std::chrono::hours(6)));
        if (const auto saved = state.state_dir.save_status(
                certificate.name, store::format_certificate_status(status));
            !saved.ok())
            state.info("ari: " + saved.error().message);
    }
}

void save_deploy_state(Client::State& state, const std::string& name, unsigned long version,
                       bool pending) {
    auto status = store::CertificateStatus{};
    if (const auto text = state.state_dir.load_status(name); text.ok() && *text)
        status = store::parse_certificate_status(**text);
    if (status.version != version)
        status = store::CertificateStatus{};
    status.version = version;
    status.deploy_pending = pending;
    if (const auto saved =
            state.state_dir.save_status(name, store::format_certificate_status(status));
        !saved.ok())
        state.info("store: " + saved.error().message);
}

// Why a certificate that is due only because the caller forces it is due.
std::string forced_reason(const RenewOptions& options) {
    if (options.dry_run)
        return "dry run (--dry-run): every selected certificate counts as due";
    return options.force_reason.empty() ? "forced (--force)" : options.force_reason;
}

store::CertificateFiles read_live_files(const store::StateDir& state_dir, const std::string& name) {
    auto files = state_dir.current_files(name);
    return files.ok() ? std::move(files).value() : store::CertificateFiles{};
}

} // namespace

std::vector<CertificateReport> Client::renew(const std::vector<CertificateSettings>& certificates,
                                             const RenewOptions& options,
                                             const RenewalListener& listener) {
    auto& state = *m_state;
    const auto now = Clock::now();
    std::vector<CertificateReport> reports(certificates.size());
    const auto finish = [&](std::size_t i) {
        if (listener)
            listener(reports[i]);
    };
    const auto fail = [&](std::size_t i, const Error& error) {
        reports[i].status = RenewalStatus::failed;
        reports[i].error = error;
        reports[i].reason = error.message;
        finish(i);
    };

    // 1. Decide from the state directory alone; what is not due is done.
    std::vector<Candidate> candidates;
    for (std::size_t i = 0; i < certificates.size(); ++i) {
        const auto& certificate = certificates[i];
        auto& report = reports[i];
        report.name = certificate.name;
        report.domains = certificate.domains;
        report.live_dir = state.state_dir.live_dir(certificate.name);
        // Before anything is sent: a state that install() would refuse after the CA issued.
        if (const auto checked = core::check_certificate_state(state.state_dir, certificate.name);
            !checked.ok()) {
            fail(i, checked.error());
            continue;
        }
        auto local = core::read_local_certificate(state.state_dir, certificate.name);
        if (!local.ok()) {
            fail(i, local.error().with_context(certificate.name));
            continue;
        }
        auto plan = core::plan_renewal(certificate, *local, now, options.force || options.dry_run,
                                       forced_reason(options));
        describe_current(report, *local);
        report.reason = plan.reason;
        report.renew_at = plan.renew_at;
        if (!plan.due && !plan.needs_ari && !plan.deploy_pending) {
            report.status = RenewalStatus::not_due;
            finish(i);
            continue;
        }
        candidates.push_back(Candidate{i, std::move(local).value(), std::move(plan), std::nullopt});
    }
    if (candidates.empty()) {
        // issue_batch removes what a killed or interrupted run left before it issues; a run
        // with nothing to issue must do it too, or the records stay until a certificate is
        // next due. With an empty journal this reads one folder and sends nothing.
        core::clean_up_leftovers(state);
        return reports;
    }

    // 2. Lock, then decide again: another run may have renewed it while we looked.
    // Every run takes locks in name order, so two runs that wait for each other's locks
    // (--wait-lock) cannot deadlock.
    std::sort(candidates.begin(), candidates.end(), [&](const Candidate& a, const Candidate& b) {
        return certificates[a.index].name < certificates[b.index].name;
    });
    std::vector<Candidate> locked;
    for (auto& candidate : candidates) {
        const auto& certificate = certificates[candidate.index];
        const auto path = state.state_dir.certificate_lock(certificate.name);
        if (!path.ok()) {
            fail(candidate.index, path.error().with_context(certificate.name));
            continue;
        }
        auto lock = options.wait_lock ? store::FileLock::wait_lock(*path, options.wait_lock,
                                                                   state.options.cancelled)
                                      : store::FileLock::try_lock(*path);
        if (!lock.ok()) {
            fail(candidate.index, lock.error().with_context(certificate.name));
            continue;
        }
        if (!*lock) {
            auto& report = reports[candidate.index];
            report.status = RenewalStatus::locked;
            report.reason = "another wildcert run is working on it (" + path->path().string() +
                            " is locked); " +
                            (options.wait_lock ? "gave up waiting" : "use --wait-lock to wait");
            finish(candidate.index);
            continue;
        }
        candidate.lock = std::move(*lock);
        auto local = core::read_local_certificate(state.state_dir, certificate.name);
        if (!local.ok()) {
            fail(candidate.index, local.error().with_context(certificate.name));
            continue;
        }
        candidate.local = std::move(local).value();
        candidate.plan =
            core::plan_renewal(certificate, candidate.local, now, options.force || options.dry_run,
                               forced_reason(options));
        if (candidate.plan.needs_ari)
            ask_ari(state, certificate, candidate, now);
        auto& report = reports[candidate.index];
        describe_current(report, candidate.local);
        report.reason = candidate.plan.reason;
        report.renew_at = candidate.plan.renew_at;
        if (!candidate.plan.due && !candidate.plan.deploy_pending) {
            report.status = RenewalStatus::not_due;
            finish(candidate.index);
            continue;
        }
        locked.push_back(std::move(candidate));
    }

    // 3. Issue the due ones as one batch.
    std::optional<store::StateDir> scratch;
    if (options.dry_run) {
        auto opened = state.state_dir.open_scratch();
        if (!opened.ok()) {
            for (const auto& candidate : locked)
                fail(candidate.index, opened.error());
            return reports;
        }
        scratch.emplace(std::move(opened).value());
    }
    std::vector<CertificateSettings> due;
    std::vector<Candidate*> due_candidates;
    for (auto& candidate : locked) {
        if (candidate.plan.due) {
            state.info(options.command + ": " + certificates[candidate.index].name + ": " +
                       candidate.plan.reason);
            due.push_back(certificates[candidate.index]);
            due_candidates.push_back(&candidate);
        }
    }
    if (due.empty())
        core::clean_up_leftovers(state); // as above
    core::IssueOptions issue_options{.concurrency = options.concurrency,
                                     .install_into = scratch ? &*scratch : nullptr};
    auto issued = core::issue_batch(state, due, issue_options);

    // 4. Outputs and hooks, for what changed and for what an earlier run left undeployed.
    std::size_t next_issued = 0;
    for (auto& candidate : locked) {
        const auto& certificate = certificates[candidate.index];
        auto& report = reports[candidate.index];
        core::DeployTarget target{.certificate = &certificate,
                                  .live_dir = report.live_dir,
                                  .files = {},
                                  .serial_hex = report.serial_hex,
                                  .not_after = report.not_after.value_or(Clock::time_point()),
                                  .dry_run = options.dry_run,
                                  .run_hooks = !options.dry_run || options.run_hooks};
        if (candidate.plan.due) {
            auto& result = issued[next_issued++];
            if (!result.ok()) {
                core::audit(state, {.event = "certificate-failed",
                                    .certificate = certificate.name,
                                    .names = certificate.domains,
                                    .ok = false,
                                    .detail = result.error().message});
                fail(candidate.index, result.error());
                continue;
            }
            report.status =
                candidate.local.version ? RenewalStatus::renewed : RenewalStatus::issued;
            // A dry run's certificate sits in a scratch folder that is deleted at the end:
            // the report keeps the real live/<name> (untouched), the hooks get the scratch one.
            if (!options.dry_run)
                report.live_dir = result->certificate.live_dir;
            report.reused_authorizations = result->reused_authorizations;
            report.serial_hex = result->certificate.serial_hex;
            report.issuer = result->issuer;
            report.not_after = result->certificate.not_after;
            report.renew_at.reset();
            target.live_dir = result->certificate.live_dir;
            target.files = std::move(result->files);
            target.serial_hex = report.serial_hex;
            target.not_after = result->certificate.not_after;
        } else {
            report.status = RenewalStatus::not_due;
            target.files = read_live_files(state.state_dir, certificate.name);
        }
        std::optional<unsigned long> version;
        if (!options.dry_run) {
            if (auto current = state.state_dir.current_version(certificate.name); current.ok())
                version = *current;
            if (version)
                save_deploy_state(state, certificate.name, *version, true);
        }
        report.deploy = core::deploy(state, target);
        if (version)
            save_deploy_state(state, certificate.name, *version, !report.deploy.ok);
        finish(candidate.index);
    }
    if (scratch) {
        (void)state.state_dir.remove_scratch(); // leftovers go with the next run's sweep
    }
    return reports;
}

std::vector<CertificateReport> Client::inspect(const std::vector<CertificateSettings>& certificates,
                                               Clock::time_point now) {
    return core::inspect_certificates(m_state->state_dir, certificates, now);
}

} // namespace wildcert
