// The issuance run, stage by stage (pipeline.hpp; docs/dev/architecture.md, "The pipeline").
#include "core/pipeline.hpp"

#include "common/parallel_for.hpp"
#include "core/audit.hpp"
#include "core/batch.hpp"
#include "core/deployment.hpp"
#include "core/dry_run_directory.hpp"
#include "core/renewal_decision.hpp"
#include "core/renewal_plan.hpp"
#include "core/state_preflight.hpp"
#include "store/file_lock.hpp"

#include <algorithm>

namespace wildcert::core {
namespace {

using Clock = std::chrono::system_clock;

std::int64_t to_unix(Clock::time_point time) {
    return std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
}

// One certificate on its way through the run.
struct Candidate {
    std::size_t index; // into the certificates and reports
    LocalCertificate local;
    RenewalPlan plan;
    std::optional<store::FileLock> lock;
};

void describe_current(CertificateReport& report, const LocalCertificate& local) {
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
    if (!ensure_account(state).ok() || !pem.ok() || !*pem) {
        plan.due = true;
        plan.reason = "the CA's renewal information could not be asked; renewing";
        return;
    }
    const auto decision = decide_renewal(&*state.session.acme, **pem, now, system_uniform(),
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

store::CertificateStatus status_of_version(const Client::State& state, const std::string& name,
                                           unsigned long version) {
    auto status = store::CertificateStatus{};
    if (const auto text = state.state_dir.load_status(name); text.ok() && *text)
        status = store::parse_certificate_status(**text);
    if (status.version != version)
        status = store::CertificateStatus{};
    status.version = version;
    return status;
}

// `deployed`: the targets done for this version ("<entry> <target>", deployment.hpp).
void save_deploy_state(Client::State& state, const std::string& name, unsigned long version,
                       bool pending, std::vector<std::string> deployed) {
    auto status = status_of_version(state, name, version);
    status.deploy_pending = pending;
    status.deployed = std::move(deployed);
    if (const auto saved =
            state.state_dir.save_status(name, store::format_certificate_status(status));
        !saved.ok())
        state.info("store: " + saved.error().message);
}

std::vector<std::string> deployed_targets(const DeployReport& report) {
    std::vector<std::string> keys;
    for (const auto& target : report.targets) {
        if (target.ok)
            keys.push_back(std::to_string(target.entry) + " " + target.target);
    }
    return keys;
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

// A dry run talks to the staging directory for as long as it lasts: the account, its key
// and the connection belong to the directory, so they are set up again on each side.
class DirectoryOverride {
public:
    DirectoryOverride(Client::State& state, std::string url)
        : m_state(state), m_saved(state.profile.acme.directory_url) {
        if (url != m_saved)
            use(std::move(url));
    }
    ~DirectoryOverride() {
        if (m_state.profile.acme.directory_url != m_saved)
            use(m_saved);
    }
    DirectoryOverride(const DirectoryOverride&) = delete;
    DirectoryOverride& operator=(const DirectoryOverride&) = delete;

private:
    void use(std::string url) {
        m_state.profile.acme.directory_url = std::move(url);
        m_state.session.reset();
    }
    Client::State& m_state;
    std::string m_saved;
};

class Run {
public:
    Run(Client::State& state, const std::vector<CertificateSettings>& certificates,
        const RenewOptions& options, const RenewalListener& listener)
        : m_state(state), m_certificates(certificates), m_options(options), m_listener(listener),
          m_reports(certificates.size()), m_now(Clock::now()) {}

    std::vector<CertificateReport> go() && {
        std::optional<DirectoryOverride> staging;
        if (m_options.dry_run) {
            auto url = dry_run_directory(m_state.profile, m_options.dry_run_against_production);
            if (!url.ok()) {
                for (std::size_t i = 0; i < m_certificates.size(); ++i)
                    fail(i, url.error());
                return std::move(m_reports);
            }
            staging.emplace(m_state, std::move(url).value());
        }
        auto candidates = select();
        if (candidates.empty()) {
            // issue_batch removes what a killed or interrupted run left before it issues; a
            // run with nothing to issue must do it too, or the records stay until a
            // certificate is next due. With an empty journal this reads one folder and sends
            // nothing.
            clean_up_leftovers(m_state);
            return std::move(m_reports);
        }
        auto locked = lock(std::move(candidates));
        auto issued = issue(locked);
        if (issued)
            deploy(locked, *issued);
        return std::move(m_reports);
    }

private:
    void finish(std::size_t i) {
        if (m_listener)
            m_listener(m_reports[i]);
    }
    void fail(std::size_t i, const Error& error) {
        m_reports[i].status = RenewalStatus::failed;
        m_reports[i].error = error;
        m_reports[i].reason = error.message;
        finish(i);
    }
    RenewalPlan plan(const CertificateSettings& certificate, const LocalCertificate& local) const {
        if (m_options.deploy_only) {
            // Nothing is ordered: the current version is deployed again, or there is none.
            RenewalPlan again;
            again.deploy_pending = local.version.has_value();
            again.reason = "deploy only (--deploy-only)";
            return again;
        }
        return plan_renewal(certificate, local, m_now, m_options.force || m_options.dry_run,
                            forced_reason(m_options));
    }

    // What the select stage reads of one certificate (on a reading thread: reads only).
    struct Looked {
        Result<void> checked;
        std::optional<Result<LocalCertificate>> local; // when checked
        RenewalPlan plan;                              // when local is ok
    };
    Looked look_at(const CertificateSettings& certificate, const store::StateDir& state_dir,
                   const Result<void>& folders_checked) const {
        Looked looked;
        // Before anything is sent: a state that install() would refuse after the CA issued.
        looked.checked = folders_checked.ok() ? check_lineage_state(state_dir, certificate.name)
                                              : folders_checked;
        if (!looked.checked.ok())
            return looked;
        looked.local = read_local_certificate(state_dir, certificate.name);
        if (looked.local->ok())
            looked.plan = plan(certificate, **looked.local);
        return looked;
    }

    // Stage select: decide from the state directory alone; what is not due is done. The
    // reading is done on a few threads (it is read-only, each certificate its own), the
    // deciding in profile order, so reports and progress lines come as they always did.
    std::vector<Candidate> select() {
        // One pass of reads: live/, archive/ and status/ opened once for all certificates. A
        // top folder that cannot be opened fails each certificate below with its own error.
        const auto held = m_state.state_dir.for_reading();
        const store::StateDir& state_dir = held.ok() ? *held : m_state.state_dir;
        const auto folders_checked = check_state_folders(state_dir);
        std::vector<Looked> looked(m_certificates.size());
        parallel_for(m_certificates.size(), reading_threads(m_certificates.size()),
                     [&](std::size_t i) {
                         looked[i] = look_at(m_certificates[i], state_dir, folders_checked);
                     });
        std::vector<Candidate> candidates;
        for (std::size_t i = 0; i < m_certificates.size(); ++i) {
            const auto& certificate = m_certificates[i];
            auto& report = m_reports[i];
            auto& mine = looked[i];
            report.name = certificate.name;
            report.domains = certificate.domains;
            report.live_dir = state_dir.live_dir(certificate.name);
            if (!mine.checked.ok()) {
                fail(i, mine.checked.error());
                continue;
            }
            auto& local = *mine.local;
            if (!local.ok()) {
                fail(i, local.error().with_context(certificate.name));
                continue;
            }
            auto& planned = mine.plan;
            if (m_options.deploy_only && !local->version) {
                fail(i, Error{ErrorKind::usage, certificate.name +
                                                    ": no certificate to deploy (--deploy-only); "
                                                    "run `wildcert issue` first"});
                continue;
            }
            describe_current(report, *local);
            report.reason = planned.reason;
            report.renew_at = planned.renew_at;
            if (!planned.due && !planned.needs_ari && !planned.deploy_pending) {
                report.status = RenewalStatus::not_due;
                finish(i);
                continue;
            }
            candidates.push_back(
                Candidate{i, std::move(local).value(), std::move(planned), std::nullopt});
        }
        return candidates;
    }

    // Stage lock: lock, then decide again, since another run may have renewed it while we
    // looked. Every run takes locks in name order, so two runs that wait for each other's
    // locks (--wait-lock) cannot deadlock.
    std::vector<Candidate> lock(std::vector<Candidate> candidates) {
        std::sort(candidates.begin(), candidates.end(), [&](const auto& a, const auto& b) {
            return m_certificates[a.index].name < m_certificates[b.index].name;
        });
        std::vector<Candidate> locked;
        for (auto& candidate : candidates) {
            const auto& certificate = m_certificates[candidate.index];
            const auto path = m_state.state_dir.certificate_lock(certificate.name);
            if (!path.ok()) {
                fail(candidate.index, path.error().with_context(certificate.name));
                continue;
            }
            auto lock = m_options.wait_lock ? store::FileLock::wait_lock(*path, m_options.wait_lock,
                                                                         m_state.options.cancelled)
                                            : store::FileLock::try_lock(*path);
            if (!lock.ok()) {
                fail(candidate.index, lock.error().with_context(certificate.name));
                continue;
            }
            if (!*lock) {
                auto& report = m_reports[candidate.index];
                report.status = RenewalStatus::locked;
                report.reason =
                    "another wildcert run is working on it (" + path->path().string() +
                    " is locked); " +
                    (m_options.wait_lock ? "gave up waiting" : "use --wait-lock to wait");
                finish(candidate.index);
                continue;
            }
            candidate.lock = std::move(*lock);
            auto local = read_local_certificate(m_state.state_dir, certificate.name);
            if (!local.ok()) {
                fail(candidate.index, local.error().with_context(certificate.name));
                continue;
            }
            candidate.local = std::move(local).value();
            candidate.plan = plan(certificate, candidate.local);
            if (candidate.plan.needs_ari)
                ask_ari(m_state, certificate, candidate, m_now);
            auto& report = m_reports[candidate.index];
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
        return locked;
    }

    // Stage issue: the due ones as one batch, into a scratch folder for a dry run. nullopt:
    // the scratch folder could not be made, and every certificate failed.
    std::optional<std::vector<Result<IssuedFiles>>> issue(const std::vector<Candidate>& locked) {
        if (m_options.dry_run) {
            auto opened = m_state.state_dir.open_scratch();
            if (!opened.ok()) {
                for (const auto& candidate : locked)
                    fail(candidate.index, opened.error());
                return std::nullopt;
            }
            m_scratch.emplace(std::move(opened).value());
        }
        std::vector<CertificateSettings> due;
        for (const auto& candidate : locked) {
            if (!candidate.plan.due)
                continue;
            const auto& certificate = m_certificates[candidate.index];
            m_state.info(m_options.command + ": " + certificate.name + ": " +
                         candidate.plan.reason);
            due.push_back(certificate);
        }
        if (due.empty())
            clean_up_leftovers(m_state); // as in go()
        const IssueOptions issue_options{.concurrency = m_options.concurrency,
                                         .install_into = m_scratch ? &*m_scratch : nullptr};
        return issue_batch(m_state, due, issue_options);
    }

    // Stage deploy: outputs and hooks, for what changed and for what an earlier run left
    // undeployed. status/<name>.txt says "deploy pending" while they run, so a run killed
    // half-way is finished by the next one.
    void deploy(std::vector<Candidate>& locked, std::vector<Result<IssuedFiles>>& issued) {
        const DeployRunner runner(m_state.log, m_state.options.log, m_state.options.cancelled,
                                  [this](const AuditEvent& event) { audit(m_state, event); });
        std::size_t next_issued = 0;
        for (auto& candidate : locked) {
            const auto& certificate = m_certificates[candidate.index];
            auto& report = m_reports[candidate.index];
            DeployTarget target{.certificate = &certificate,
                                .live_dir = report.live_dir,
                                .files = {},
                                .serial_hex = report.serial_hex,
                                .not_after = report.not_after.value_or(Clock::time_point()),
                                .dry_run = m_options.dry_run,
                                .run_hooks = !m_options.dry_run || m_options.run_hooks};
            if (candidate.plan.due) {
                auto& result = issued[next_issued++];
                if (!result.ok()) {
                    audit(m_state, {.event = "certificate-failed",
                                    .certificate = certificate.name,
                                    .names = certificate.domains,
                                    .ok = false,
                                    .detail = result.error().message});
                    fail(candidate.index, result.error());
                    continue;
                }
                describe_issued(candidate, report, *result);
                target.live_dir = result->certificate.live_dir;
                target.files = std::move(result->files);
                target.serial_hex = report.serial_hex;
                target.not_after = result->certificate.not_after;
            } else {
                report.status = RenewalStatus::not_due;
                target.files = read_live_files(m_state.state_dir, certificate.name);
            }
            std::optional<unsigned long> version;
            if (!m_options.dry_run) {
                if (auto current = m_state.state_dir.current_version(certificate.name);
                    current.ok())
                    version = *current;
                if (version) {
                    // --deploy-only deploys everything again, whatever was done before.
                    if (!m_options.deploy_only)
                        target.already_deployed =
                            status_of_version(m_state, certificate.name, *version).deployed;
                    save_deploy_state(m_state, certificate.name, *version, true,
                                      target.already_deployed);
                }
            }
            report.deploy = runner.deploy(target);
            if (version)
                save_deploy_state(m_state, certificate.name, *version, !report.deploy.ok,
                                  deployed_targets(report.deploy));
            finish(candidate.index);
        }
        if (m_scratch)
            (void)m_state.state_dir.remove_scratch(); // leftovers go with the next run's sweep
    }

    void describe_issued(const Candidate& candidate, CertificateReport& report,
                         const IssuedFiles& issued) const {
        report.status = candidate.local.version ? RenewalStatus::renewed : RenewalStatus::issued;
        // A dry run's certificate sits in a scratch folder that is deleted at the end: the
        // report keeps the real live/<name> (untouched), the hooks get the scratch one.
        if (!m_options.dry_run)
            report.live_dir = issued.certificate.live_dir;
        report.reused_authorizations = issued.reused_authorizations;
        report.serial_hex = issued.certificate.serial_hex;
        report.issuer = issued.issuer;
        report.not_after = issued.certificate.not_after;
        report.renew_at.reset();
    }

    Client::State& m_state;
    const std::vector<CertificateSettings>& m_certificates;
    const RenewOptions& m_options;
    const RenewalListener& m_listener;
    std::vector<CertificateReport> m_reports;
    const Clock::time_point m_now;
    std::optional<store::StateDir> m_scratch;
};

} // namespace

std::vector<CertificateReport> run_pipeline(Client::State& state,
                                            const std::vector<CertificateSettings>& certificates,
                                            const RenewOptions& options,
                                            const RenewalListener& listener) {
    return Run(state, certificates, options, listener).go();
}

} // namespace wildcert::core
