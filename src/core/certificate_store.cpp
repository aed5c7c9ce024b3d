// CertificateStore: `list` and `delete` from the state directory alone.
#include <wildcert/certificate_store.hpp>

#include "core/audit.hpp"
#include "core/renewal_plan.hpp"
#include "core/stored_certificates.hpp"
#include "store/file_lock.hpp"
#include "store/stale_files.hpp"

#include <algorithm>

namespace wildcert {

namespace {

using Clock = std::chrono::system_clock;

Clock::time_point from_unix(std::int64_t seconds) {
    return Clock::time_point(std::chrono::seconds(seconds));
}

void describe(CertificateReport& report, const store::CertificateRecord& record) {
    report.serial_hex = record.serial_hex;
    report.issuer = record.issuer;
    report.not_after = from_unix(record.not_after);
}

StoredCertificate read_stored(const store::StateDir& state_dir, const std::string& name) {
    StoredCertificate stored;
    auto& report = stored.report;
    report.name = name;
    report.live_dir = state_dir.live_dir(name);
    const auto local = core::read_local_certificate(state_dir, name);
    if (!local.ok() || !local->record) {
        report.status = RenewalStatus::failed;
        report.error =
            local.ok()
                ? Error{ErrorKind::io, report.live_dir.string() + " holds no readable certificate"}
                : local.error();
        report.reason = report.error->message;
        return stored;
    }
    const auto& record = *local->record;
    report.status = RenewalStatus::not_due;
    report.domains = record.domains;
    describe(report, record);
    if (local->status.ari_renew_at)
        report.renew_at = from_unix(*local->status.ari_renew_at);
    stored.key_type = record.key_type;
    if (!record.profile.empty())
        stored.profile = std::filesystem::path(record.profile);
    stored.deploy_pending = local->status.deploy_pending;
    stored.deployed_targets = local->status.deployed;
    return stored;
}

CertificateLineagePaths paths_of(const std::string& name,
                                 const store::CertificateLineage& lineage) {
    CertificateLineagePaths paths{name, {}, lineage.versions};
    for (const auto& path : {lineage.live, lineage.archive, lineage.status}) {
        if (path)
            paths.paths.push_back(*path);
    }
    return paths;
}

} // namespace

namespace core {

Result<store::StateDir> open_state_dir(const std::filesystem::path& path, const LogSink& log) {
    WILDCERT_TRY(auto state_dir, store::StateDir::open(path));
    for (const auto& repair : state_dir.repairs()) {
        if (log)
            log(LogLevel::info, "store: " + repair);
    }
    // A run killed between writing a temporary file and renaming it leaves the file behind;
    // the next run removes it.
    const auto removed = store::remove_stale_temporaries(state_dir.folder());
    if (!log)
        return state_dir;
    if (!removed.ok())
        log(LogLevel::info, "store: " + removed.error().message);
    else if (*removed > 0)
        log(LogLevel::info, "store: removed " + std::to_string(*removed) +
                                " temporary file(s) left by a killed run");
    return state_dir;
}

std::vector<CertificateReport>
inspect_certificates(const store::StateDir& state_dir,
                     const std::vector<CertificateSettings>& certificates, Clock::time_point now) {
    std::vector<CertificateReport> reports;
    for (const auto& certificate : certificates) {
        CertificateReport report;
        report.name = certificate.name;
        report.domains = certificate.domains;
        report.live_dir = state_dir.live_dir(certificate.name);
        auto local = read_local_certificate(state_dir, certificate.name);
        if (!local.ok()) {
            report.status = RenewalStatus::failed;
            report.error = local.error();
            report.reason = local.error().message;
            reports.push_back(std::move(report));
            continue;
        }
        const auto plan = plan_renewal(certificate, *local, now, false);
        if (local->record)
            describe(report, *local->record);
        report.reason = plan.reason;
        report.renew_at = plan.renew_at;
        report.status = !local->version ? RenewalStatus::issued
                        : plan.due      ? RenewalStatus::renewed
                                        : RenewalStatus::not_due;
        report.deploy.ok = !plan.deploy_pending;
        reports.push_back(std::move(report));
    }
    return reports;
}

} // namespace core

struct CertificateStore::State {
    store::StateDir state_dir;
};

CertificateStore::CertificateStore(std::unique_ptr<State> state) : m_state(std::move(state)) {}
CertificateStore::CertificateStore(CertificateStore&&) noexcept = default;
CertificateStore& CertificateStore::operator=(CertificateStore&&) noexcept = default;
CertificateStore::~CertificateStore() = default;

Result<CertificateStore> CertificateStore::open(const std::filesystem::path& state_dir,
                                                const LogSink& log) {
    WILDCERT_TRY(auto opened, core::open_state_dir(state_dir, log));
    return CertificateStore(std::make_unique<State>(State{std::move(opened)}));
}

const std::filesystem::path& CertificateStore::root() const {
    return m_state->state_dir.root();
}

Result<std::vector<StoredCertificate>> CertificateStore::certificates() const {
    WILDCERT_TRY(const auto names, m_state->state_dir.certificate_names());
    std::vector<StoredCertificate> stored;
    for (const auto& name : names)
        stored.push_back(read_stored(m_state->state_dir, name));
    return stored;
}

std::vector<CertificateReport>
CertificateStore::inspect(const std::vector<CertificateSettings>& certificates,
                          Clock::time_point now) const {
    return core::inspect_certificates(m_state->state_dir, certificates, now);
}

Result<CertificateLineagePaths> CertificateStore::lineage(const std::string& name) const {
    WILDCERT_TRY(const auto lineage, m_state->state_dir.lineage(name));
    return paths_of(name, lineage);
}

Result<std::optional<CertificateLineagePaths>>
CertificateStore::remove(const std::string& name) const {
    const auto& state_dir = m_state->state_dir;
    WILDCERT_TRY(const auto file, state_dir.certificate_lock(name));
    WILDCERT_TRY(auto lock, store::FileLock::try_lock(file));
    if (!lock)
        return std::optional<CertificateLineagePaths>();
    // Read again under the lock: what a renew finished meanwhile goes too.
    WILDCERT_TRY(const auto lineage, state_dir.lineage(name));
    if (lineage.empty())
        return make_error(ErrorKind::usage, "no certificate \"" + name + "\" in " +
                                                state_dir.root().string() +
                                                " (wildcert list shows what there is)");
    std::vector<std::string> names;
    if (const auto stored = read_stored(state_dir, name); stored.report.error == std::nullopt)
        names = stored.report.domains;
    const auto removed = state_dir.remove_lineage(name);
    const auto paths = paths_of(name, lineage);
    (void)state_dir.append_audit(core::audit_line(
        {.event = "certificate-deleted",
         .certificate = name,
         .names = names,
         .ok = removed.ok(),
         .detail = removed.ok() ? std::to_string(paths.paths.size()) + " path(s) removed"
                                : removed.error().message}));
    if (!removed.ok())
        return removed.error().with_context("delete " + name);
    return std::optional<CertificateLineagePaths>(paths);
}

} // namespace wildcert
