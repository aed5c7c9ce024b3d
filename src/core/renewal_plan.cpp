#include "core/renewal_plan.hpp"

#include "acme/rfc3339.hpp"
#include "crypto/certificate.hpp"
#include "crypto/private_key.hpp"

#include <algorithm>
#include <filesystem>

namespace wildcert::core {
namespace {

using Clock = std::chrono::system_clock;

Clock::time_point from_unix(std::int64_t seconds) {
    return Clock::time_point(std::chrono::seconds(seconds));
}

std::int64_t to_unix(Clock::time_point time) {
    return std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
}

// info.txt is missing (a certificate from an older wildcert): the same facts from the PEMs.
Result<std::optional<store::CertificateRecord>> record_from_pem(const store::StateDir& state_dir,
                                                                const std::string& name) {
    WILDCERT_TRY(const auto cert_pem, state_dir.current_certificate(name));
    WILDCERT_TRY(const auto key_pem, state_dir.current_private_key(name));
    if (!cert_pem || !key_pem)
        return std::optional<store::CertificateRecord>();
    WILDCERT_TRY(const auto chain, crypto::parse_pem_chain(*cert_pem));
    WILDCERT_TRY(const auto key, crypto::PrivateKey::from_pem(*key_pem));
    const auto& leaf = chain.front();
    store::CertificateRecord record;
    for (const auto& name_in_cert : leaf.dns_names) {
        std::string lower = name_in_cert;
        std::transform(lower.begin(), lower.end(), lower.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        record.domains.push_back(lower);
    }
    record.key_type = std::string(to_string(key.type()));
    record.not_before = to_unix(leaf.not_before);
    record.not_after = to_unix(leaf.not_after);
    record.serial_hex = leaf.serial_hex;
    record.issuer = leaf.issuer_cn;
    return std::optional<store::CertificateRecord>(std::move(record));
}

std::vector<std::string> sorted(std::vector<std::string> names) {
    std::sort(names.begin(), names.end());
    return names;
}

std::string joined(const std::vector<std::string>& names) {
    std::string text;
    for (const auto& name : names)
        text += (text.empty() ? "" : " ") + name;
    return text;
}

bool any_output_missing(const CertificateSettings& certificate) {
    std::error_code error;
    return std::any_of(certificate.outputs.begin(), certificate.outputs.end(),
                       [&error](const OutputSettings& output) {
                           return !std::filesystem::exists(output.path, error);
                       });
}

RenewalPlan lifetime_plan(const CertificateSettings& certificate,
                          const store::CertificateRecord& record, Clock::time_point now) {
    const auto not_before = from_unix(record.not_before);
    const auto not_after = from_unix(record.not_after);
    Clock::duration lead{};
    std::string rule;
    if (certificate.renew_before.duration) {
        lead = *certificate.renew_before.duration;
        rule = "renew_before " +
               std::to_string(certificate.renew_before.duration->count() / 86400) + "d";
    } else {
        const auto lifetime = not_after - not_before;
        lead = std::chrono::duration_cast<Clock::duration>(
            std::chrono::duration<double, Clock::period>(static_cast<double>(lifetime.count()) *
                                                         certificate.renew_before.fraction));
        rule = "the lifetime rule";
    }
    RenewalPlan plan;
    plan.renew_at = not_after - lead;
    plan.due = now >= *plan.renew_at;
    plan.reason = std::string(plan.due ? "due" : "not due") + " by " + rule + ": expires " +
                  acme::format_rfc3339(not_after) + ", renewal from " +
                  acme::format_rfc3339(*plan.renew_at);
    return plan;
}

} // namespace

Result<LocalCertificate> read_local_certificate(const store::StateDir& state_dir,
                                                const std::string& name) {
    LocalCertificate local;
    WILDCERT_TRY(local.version, state_dir.current_version(name));
    if (!local.version)
        return local;
    WILDCERT_TRY(const auto info, state_dir.version_file(name, *local.version, "info.txt"));
    if (info)
        local.record = store::parse_certificate_record(*info);
    if (!local.record) {
        WILDCERT_TRY(local.record, record_from_pem(state_dir, name));
    }
    WILDCERT_TRY(const auto status_text, state_dir.load_status(name));
    if (status_text) {
        auto status = store::parse_certificate_status(*status_text);
        if (status.version == *local.version)
            local.status = status;
    }
    local.status.version = *local.version;
    return local;
}

RenewalPlan plan_renewal(const CertificateSettings& certificate, const LocalCertificate& local,
                         Clock::time_point now, bool force, std::string_view forced_reason) {
    RenewalPlan plan;
    if (!local.version || !local.record) {
        plan.due = true;
        plan.reason = "no certificate yet";
        return plan;
    }
    const auto& record = *local.record;
    plan.deploy_pending = local.status.deploy_pending || any_output_missing(certificate);
    if (force) {
        plan.due = true;
        plan.reason = std::string(forced_reason);
        return plan;
    }
    if (sorted(record.domains) != sorted(certificate.domains)) {
        plan.due = true;
        plan.reason = "names changed: the certificate has " + joined(record.domains) +
                      ", the profile asks for " + joined(certificate.domains);
        return plan;
    }
    const std::string wanted_key = std::string(to_string(certificate.key));
    if (record.key_type != wanted_key) {
        plan.due = true;
        plan.reason = "key type changed from " + record.key_type + " to " + wanted_key;
        return plan;
    }
    if (now >= from_unix(record.not_after)) {
        plan.due = true;
        plan.reason = "expired " + acme::format_rfc3339(from_unix(record.not_after));
        return plan;
    }
    if (record.ari) {
        const auto& status = local.status;
        if (status.ari_renew_at && status.ari_check_at && now < from_unix(*status.ari_check_at)) {
            plan.renew_at = from_unix(*status.ari_renew_at);
            plan.due = now >= *plan.renew_at;
            plan.reason = std::string(plan.due ? "due" : "not due") +
                          " by the CA's renewal window (ARI, asked before): renewal from " +
                          acme::format_rfc3339(*plan.renew_at);
            return plan;
        }
        plan.needs_ari = true;
        plan.reason = "the CA offers renewal information (ARI): asking it";
        return plan;
    }
    auto lifetime = lifetime_plan(certificate, record, now);
    lifetime.deploy_pending = plan.deploy_pending;
    return lifetime;
}

} // namespace wildcert::core
