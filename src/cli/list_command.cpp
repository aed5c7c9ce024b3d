#include "cli/list_command.hpp"

#include "cli/exit_codes.hpp"
#include "cli/opened_store.hpp"
#include "cli/profile_paths.hpp"
#include "cli/renewal_report.hpp"
#include "cli/report.hpp"
#include "json/json.hpp"

#include <wildcert/certificate_store.hpp>

#include <algorithm>
#include <array>
#include <iomanip>
#include <iostream>
#include <map>

namespace wildcert::cli {
namespace {

using Clock = std::chrono::system_clock;

// One certificate as list shows it: from the state directory, and from a profile when -c
// names one that has it.
struct Entry {
    CertificateReport report;
    std::optional<std::filesystem::path> profile;
    std::string key_type;
    std::string state; // ok, due, expired, missing, deploy-pending, unreadable
    // From status/<name>.txt: the deploy of the current version.
    bool deploy_pending = false;
    std::vector<std::string> deployed_targets;
    bool stored = false; // the state directory has it
};

// "pending (2 done)", "ok (3 targets)", "ok", or "-" for a certificate not issued yet.
std::string deploy_text(const Entry& entry) {
    if (!entry.stored)
        return "-";
    const auto done = entry.deployed_targets.size();
    if (entry.deploy_pending)
        return "pending (" + std::to_string(done) + " done)";
    return done == 0 ? "ok" : "ok (" + std::to_string(done) + " targets)";
}

// From the state directory alone: the certificate's own record and the CA's cached window.
std::string stored_state(const StoredCertificate& stored, Clock::time_point now) {
    const auto& report = stored.report;
    if (report.status == RenewalStatus::failed)
        return "unreadable";
    if (report.not_after && *report.not_after <= now)
        return "expired";
    if (stored.deploy_pending)
        return "deploy-pending";
    return report.renew_at && *report.renew_at <= now ? "due" : "ok";
}

// By renew's decision for the profile's [[certificate]].
std::string planned_state(const CertificateReport& report, Clock::time_point now) {
    switch (report.status) {
    case RenewalStatus::issued:
        return "missing";
    case RenewalStatus::failed:
        return "unreadable";
    case RenewalStatus::renewed:
        return report.not_after && *report.not_after <= now ? "expired" : "due";
    default:
        return report.deploy.ok ? "ok" : "deploy-pending";
    }
}

struct Row {
    std::string name, domains, issuer, expires, days_left, next_renewal, state, deploy, profile,
        live;
};

Row row_of(const Entry& entry, Clock::time_point now) {
    const auto& report = entry.report;
    Row row;
    row.name = report.name;
    for (const auto& domain : report.domains)
        row.domains += (row.domains.empty() ? "" : ",") + domain;
    row.domains = row.domains.empty() ? "-" : row.domains;
    row.issuer = report.issuer.empty() ? "-" : report.issuer;
    row.expires = report.not_after ? iso_utc(*report.not_after) : "-";
    row.days_left =
        report.not_after
            ? std::to_string(
                  std::chrono::duration_cast<std::chrono::hours>(*report.not_after - now).count() /
                  24)
            : "-";
    row.next_renewal = report.renew_at ? iso_utc(*report.renew_at) : "-";
    if (entry.state == "due" || entry.state == "missing" || entry.state == "expired")
        row.next_renewal = report.renew_at && *report.renew_at > now ? row.next_renewal : "now";
    row.state = entry.state;
    row.deploy = deploy_text(entry);
    row.profile = entry.profile ? entry.profile->string() : "unknown";
    row.live = report.live_dir.string();
    return row;
}

void print_table(const std::vector<Row>& rows) {
    std::vector<Row> all{{"NAME", "DOMAINS", "ISSUER", "EXPIRES", "DAYS", "NEXT RENEWAL", "STATE",
                          "DEPLOY", "PROFILE", "LIVE"}};
    all.insert(all.end(), rows.begin(), rows.end());
    const std::array fields{&Row::name,      &Row::domains,      &Row::issuer, &Row::expires,
                            &Row::days_left, &Row::next_renewal, &Row::state,  &Row::deploy,
                            &Row::profile,   &Row::live};
    std::vector<int> widths;
    for (const auto field : fields) {
        std::size_t widest = 0;
        for (const auto& row : all)
            widest = std::max(widest, (row.*field).size());
        widths.push_back(static_cast<int>(widest + 2));
    }
    for (const auto& row : all) {
        for (std::size_t i = 0; i < fields.size(); ++i) {
            if (i + 1 == fields.size())
                std::cout << row.*fields[i];
            else
                std::cout << std::left << std::setw(widths[i]) << row.*fields[i];
        }
        std::cout << '\n';
    }
}

bool wanted(const Arguments& arguments, const std::string& name) {
    return arguments.certificates.empty() ||
           std::find(arguments.certificates.begin(), arguments.certificates.end(), name) !=
               arguments.certificates.end();
}

// Adds what the profile at `path` wants: its certificates get renew's decision, and those the
// state directory lacks are added as missing. Returns the exit code of a profile error.
int add_profile(const std::filesystem::path& path, const Arguments& arguments,
                const CertificateStore& store, Clock::time_point now,
                std::map<std::string, Entry>& entries) {
    auto loaded = load_profile_certificates(path);
    if (!loaded.ok())
        return report_failure(loaded.error());
    for (const auto& warning : loaded->warnings)
        std::cerr << "wildcert: warning: " << warning << '\n';
    std::vector<CertificateSettings> certificates;
    for (const auto& certificate : loaded->certificates) {
        if (wanted(arguments, certificate.name))
            certificates.push_back(certificate);
    }
    for (auto& report : store.inspect(certificates, now)) {
        auto& entry = entries[report.name];
        const auto settings = std::find_if(certificates.begin(), certificates.end(),
                                           [&](const auto& c) { return c.name == report.name; });
        if (entry.key_type.empty())
            entry.key_type = to_string(settings->key);
        entry.state = planned_state(report, now);
        entry.profile = loaded->path;
        entry.report = std::move(report);
    }
    return k_exit_ok;
}

void write_json(const std::map<std::string, Entry>& entries, Clock::time_point now) {
    json::Writer out;
    out.begin_object().key("certificates").begin_array();
    for (const auto& [name, entry] : entries) {
        out.begin_object();
        write_certificate_members(out, entry.profile, entry.report, now);
        out.key("state").string(entry.state).key("key_type").string(entry.key_type);
        out.key("deploy_state").begin_object();
        out.key("pending").boolean(entry.deploy_pending).key("targets_done").begin_array();
        for (const auto& target : entry.deployed_targets)
            out.string(target);
        out.end_array().end_object();
        out.end_object();
    }
    out.end_array().end_object();
    std::cout << out.str() << std::endl;
}

} // namespace

int run_list(const Arguments& arguments) {
    const auto now = Clock::now();
    auto opened = open_store(arguments);
    if (!opened.ok())
        return report_failure(opened.error());
    const auto& store = opened->store;
    auto& stored = opened->certificates;
    std::map<std::string, Entry> entries;
    for (auto& certificate : stored) {
        if (!wanted(arguments, certificate.report.name))
            continue;
        Entry entry{certificate.report,
                    certificate.profile,
                    certificate.key_type,
                    stored_state(certificate, now),
                    certificate.deploy_pending,
                    certificate.deployed_targets,
                    true};
        entries.emplace(certificate.report.name, std::move(entry));
    }
    int exit_code = k_exit_ok;
    if (!arguments.profiles.empty()) {
        auto paths = expand_profile_paths(arguments.profiles);
        if (!paths.ok())
            return report_failure(paths.error());
        for (const auto& path : *paths) {
            const int code = add_profile(path, arguments, store, now, entries);
            exit_code = std::max(exit_code, code);
        }
    }
    for (const auto& name : arguments.certificates) {
        if (entries.count(name) == 0 && exit_code == k_exit_ok)
            exit_code = report_failure(Error{
                ErrorKind::usage, "--cert " + name + ": no certificate \"" + name + "\" in " +
                                      store.root().string() +
                                      (arguments.profiles.empty() ? "" : " or in the profiles")});
    }
    if (arguments.json) {
        write_json(entries, now);
        return exit_code;
    }
    // After an error the table would be incomplete, and would draw the eye from the message.
    if (exit_code != k_exit_ok)
        return exit_code;
    if (entries.empty()) {
        std::cerr << "wildcert: no certificates in " << store.root().string()
                  << (arguments.profiles.empty() ? "" : " or in the profiles") << '\n';
        return exit_code;
    }
    std::vector<Row> rows;
    for (const auto& [name, entry] : entries)
        rows.push_back(row_of(entry, now));
    print_table(rows);
    return exit_code;
}

} // namespace wildcert::cli
