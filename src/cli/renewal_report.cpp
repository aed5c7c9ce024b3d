#include "cli/renewal_report.hpp"

#include "json/json.hpp"

#include <ctime>

namespace wildcert::cli {

std::string iso_utc(std::chrono::system_clock::time_point when) {
    const auto time = std::chrono::system_clock::to_time_t(when);
    std::tm tm{};
    gmtime_r(&time, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

namespace {

void optional_time(json::Writer& out, std::string_view key,
                   const std::optional<std::chrono::system_clock::time_point>& when) {
    out.key(key);
    if (when)
        out.string(iso_utc(*when));
    else
        out.raw("null");
}

void write_deploy(json::Writer& out, const DeployReport& deploy) {
    out.key("deploy").begin_object();
    out.key("ran").boolean(deploy.ran).key("ok").boolean(deploy.ok);
    out.key("failure").string(deploy.failure);
    out.key("outputs").begin_array();
    for (const auto& path : deploy.outputs)
        out.string(path.string());
    out.end_array();
    out.key("hooks").begin_array();
    for (const auto& hook : deploy.hooks) {
        out.begin_object()
            .key("command")
            .string(hook.command)
            .key("ok")
            .boolean(hook.ok)
            .key("failure")
            .string(hook.failure)
            .key("elapsed_ms")
            .integer(hook.elapsed.count())
            .end_object();
    }
    out.end_array();
    // One object per (deploy entry, target), commands included: what per-target retry keeps.
    out.key("targets").begin_array();
    for (const auto& target : deploy.targets) {
        out.begin_object()
            .key("entry")
            .integer(static_cast<std::int64_t>(target.entry))
            .key("type")
            .string(target.type)
            .key("target")
            .string(target.target)
            .key("outcome")
            .string(target.already_deployed ? "already-deployed"
                    : target.ok             ? "ok"
                                            : "failed")
            .key("failure")
            .string(target.failure)
            .key("elapsed_ms")
            .integer(target.elapsed.count());
        out.key("served").begin_array();
        for (const auto& [endpoint, sha256] : target.served)
            out.begin_object()
                .key("endpoint")
                .string(endpoint)
                .key("sha256")
                .string(sha256)
                .end_object();
        out.end_array().end_object();
    }
    out.end_array().end_object();
}

} // namespace

void write_certificate_json(json::Writer& out, const std::filesystem::path& profile,
                            const CertificateReport& report,
                            std::chrono::system_clock::time_point now) {
    out.begin_object();
    write_certificate_members(out, profile, report, now);
    out.end_object();
}

void write_certificate_members(json::Writer& out,
                               const std::optional<std::filesystem::path>& profile,
                               const CertificateReport& report,
                               std::chrono::system_clock::time_point now) {
    out.key("profile");
    if (profile)
        out.string(profile->string());
    else
        out.raw("null");
    out.key("name").string(report.name);
    out.key("domains").begin_array();
    for (const auto& domain : report.domains)
        out.string(domain);
    out.end_array();
    out.key("status").string(to_string(report.status));
    out.key("reason").string(report.reason);
    out.key("error");
    if (report.error)
        out.string(report.error->message);
    else
        out.raw("null");
    out.key("serial").string(report.serial_hex);
    out.key("issuer").string(report.issuer);
    optional_time(out, "not_after", report.not_after);
    out.key("days_left");
    if (report.not_after)
        out.integer(
            std::chrono::duration_cast<std::chrono::hours>(*report.not_after - now).count() / 24);
    else
        out.raw("null");
    optional_time(out, "renew_at", report.renew_at);
    const auto& live = report.live_dir;
    out.key("paths")
        .begin_object()
        .key("live_dir")
        .string(live.string())
        .key("cert")
        .string((live / "cert.pem").string())
        .key("chain")
        .string((live / "chain.pem").string())
        .key("fullchain")
        .string((live / "fullchain.pem").string())
        .key("key")
        .string((live / "privkey.pem").string())
        .end_object();
    write_deploy(out, report.deploy);
    out.key("reused_authorizations").begin_array();
    for (const auto& name : report.reused_authorizations)
        out.string(name);
    out.end_array();
}

std::string human_line(const CertificateReport& report, const std::string& verb, bool dry_run) {
    std::string line = report.name + ": ";
    switch (report.status) {
    case RenewalStatus::issued:
    case RenewalStatus::renewed:
        line += (dry_run ? "dry run: " : "") + verb + " serial " + report.serial_hex + " expires " +
                (report.not_after ? iso_utc(*report.not_after) : std::string("?"));
        line += dry_run ? " (a test certificate, discarded; live/ is unchanged)"
                        : " in " + report.live_dir.string();
        break;
    case RenewalStatus::not_due:
        line += "not due (" + report.reason + ")";
        break;
    case RenewalStatus::locked:
        line += "skipped: " + report.reason;
        break;
    case RenewalStatus::failed:
        line += "failed: " + report.reason;
        break;
    }
    if (report.deploy.ran && !report.deploy.ok)
        line += "; deploy failed: " + report.deploy.failure + " (retried on the next run)";
    else if (report.deploy.ran)
        line += "; deployed";
    return line;
}

} // namespace wildcert::cli
