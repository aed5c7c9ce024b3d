#include "cli/renew_command.hpp"

#include "cli/exit_codes.hpp"
#include "cli/open_client.hpp"
#include "cli/profile_paths.hpp"
#include "cli/renewal_report.hpp"
#include "cli/report.hpp"
#include "cli/signals.hpp"
#include "json/json.hpp"

#include <wildcert/client.hpp>
#include <wildcert/profile.hpp>

#include <iostream>
#include <map>

namespace wildcert::cli {
namespace {

struct Outcome {
    bool usage_error = false;
    bool failed = false;
    bool locked = false;
    std::map<std::string, int> counts; // status -> certificates

    [[nodiscard]] int exit_code() const {
        if (usage_error)
            return k_exit_usage;
        if (failed)
            return k_exit_failed;
        return locked ? k_exit_locked : k_exit_ok;
    }
    void add(const CertificateReport& report) {
        ++counts[to_string(report.status)];
        // A certificate refused before anything was sent (its state directory needs a person).
        usage_error = usage_error || (report.status == RenewalStatus::failed && report.error &&
                                      exit_code_for(*report.error) == k_exit_usage);
        failed = failed || report.status == RenewalStatus::failed ||
                 (report.deploy.ran && !report.deploy.ok);
        locked = locked || report.status == RenewalStatus::locked;
    }
    // A profile that could not be loaded or opened: reported on stderr, counted here.
    void add(const Error& error) {
        const int code = report_failure(error);
        usage_error = usage_error || code == k_exit_usage;
        failed = failed || code == k_exit_failed;
    }
};

void write_counts(json::Writer& out, const Outcome& outcome) {
    out.key("counts").begin_object();
    for (const char* status : {"issued", "renewed", "not-due", "failed", "locked"}) {
        const auto found = outcome.counts.find(status);
        out.key(status).integer(found == outcome.counts.end() ? 0 : found->second);
    }
    out.end_object();
}

using ProfileErrors = std::vector<std::pair<std::filesystem::path, Error>>;

void write_summary(json::Writer& out, const Outcome& outcome, const ProfileErrors& errors,
                   int exit_code) {
    out.key("profile_errors").begin_array();
    for (const auto& [path, error] : errors) {
        out.begin_object()
            .key("profile")
            .string(path.string())
            .key("error")
            .string(error.message)
            .key("exit_code")
            .integer(exit_code_for(error))
            .end_object();
    }
    out.end_array();
    write_counts(out, outcome);
    out.key("ok").boolean(exit_code == k_exit_ok).key("exit_code").integer(exit_code);
}

// Loads one profile, applies --cert to it, and refuses a --dry-run against a directory that
// is not a staging one before anything is opened (the run decides the same: pipeline.cpp).
Result<std::pair<Profile, std::vector<CertificateSettings>>>
prepare(const std::filesystem::path& path, const Arguments& arguments) {
    WILDCERT_TRY(auto profile, load_profile(path));
    report_warnings(profile);
    WILDCERT_TRY(auto certificates, selected_certificates(profile, arguments.certificates));
    if (arguments.dry_run) {
        WILDCERT_CHECK(Client::dry_run_directory(profile, arguments.dry_run_against_production));
    }
    return std::make_pair(std::move(profile), std::move(certificates));
}

using Prepared = Result<std::pair<Profile, std::vector<CertificateSettings>>>;

// One state directory has one live/<name>: two profiles of one run with the same certificate
// name would issue it twice on every run and make live/<name> flip between the two. Both
// profiles are refused, each error naming the other's file and line, before anything is sent.
void refuse_shared_names(std::vector<Prepared>& prepared) {
    std::map<std::string, std::pair<std::size_t, std::string>> first; // name -> profile, origin
    std::map<std::size_t, std::string> refused;                       // profile -> why
    for (std::size_t i = 0; i < prepared.size(); ++i) {
        if (!prepared[i].ok())
            continue;
        for (const auto& certificate : prepared[i]->second) {
            const auto [it, inserted] =
                first.emplace(certificate.name, std::make_pair(i, certificate.origin));
            if (inserted || it->second.first == i)
                continue; // a name twice in one profile is the loader's error
            const auto why = [&](const std::string& here, const std::string& there) {
                return here + ": certificate name \"" + certificate.name + "\" is also used by " +
                       there + " in the same run; one state directory has one live/" +
                       certificate.name + " (rename one of them)";
            };
            refused.emplace(i, why(certificate.origin, it->second.second));
            refused.emplace(it->second.first, why(it->second.second, certificate.origin));
        }
    }
    for (const auto& [index, why] : refused)
        prepared[index] = Error{ErrorKind::profile, why};
}

// A CA may answer an order with authorizations it validated before (RFC 8555 §7.1.3): then no
// record is published, and a dry run that "passed" said nothing about DNS.
void report_unexercised_dns(const CertificateReport& report) {
    if (report.reused_authorizations.empty())
        return;
    std::string names;
    for (const auto& name : report.reused_authorizations)
        names += (names.empty() ? "" : ", ") + name;
    const bool several = report.reused_authorizations.size() > 1;
    std::cerr << "wildcert: dry run: " << report.name << ": DNS not exercised for " << names
              << ": the CA reused the account's valid authorization" << (several ? "s" : "")
              << ", so no TXT record was published (a CA reuses them until they expire)\n";
}

} // namespace

int run_renewal(const Arguments& arguments) {
    const bool issue = arguments.command == Command::issue;
    auto paths = expand_profile_paths(arguments.profiles);
    if (!paths.ok())
        return report_failure(paths.error());
    if (!arguments.certificates.empty() && paths->size() > 1)
        return report_failure(
            Error{ErrorKind::usage, "--cert picks from one profile; give one -c with it"});

    RenewOptions options;
    options.force = issue || arguments.force;
    options.command = issue ? "issue" : "renew";
    if (issue)
        options.force_reason = "issue obtains every selected certificate now";
    options.dry_run = arguments.dry_run;
    options.dry_run_against_production = arguments.dry_run_against_production;
    options.run_hooks = arguments.run_hooks;
    options.deploy_only = arguments.deploy_only;
    options.concurrency = arguments.concurrency;
    options.wait_lock = arguments.wait_lock;

    install_stop_handlers();
    const auto now = std::chrono::system_clock::now();
    Outcome outcome;
    json::Writer document;
    if (arguments.json && !arguments.json_stream) {
        document.begin_object().key("dry_run").boolean(arguments.dry_run);
        document.key("certificates").begin_array();
    }
    ProfileErrors profile_errors;
    std::vector<Prepared> all_prepared;
    for (const auto& path : *paths)
        all_prepared.push_back(prepare(path, arguments));
    refuse_shared_names(all_prepared);
    for (std::size_t index = 0; index < paths->size(); ++index) {
        const auto& path = (*paths)[index];
        auto& prepared = all_prepared[index];
        if (!prepared.ok()) {
            outcome.add(prepared.error());
            profile_errors.emplace_back(path, prepared.error());
            continue;
        }
        auto& [profile, certificates] = *prepared;
        if (arguments.dry_run)
            std::cerr
                << "wildcert: dry run against "
                << Client::dry_run_directory(profile, arguments.dry_run_against_production).value()
                << ": nothing under live/ changes\n";
        auto client = open_client(std::move(profile), arguments, stop_requested);
        if (!client.ok()) {
            outcome.add(client.error());
            profile_errors.emplace_back(path, client.error());
            continue;
        }
        const auto listener = [&](const CertificateReport& report) {
            outcome.add(report);
            if (arguments.dry_run)
                report_unexercised_dns(report);
            if (arguments.json_stream) {
                json::Writer line;
                write_certificate_json(line, path, report, now);
                std::cout << line.str() << std::endl;
            } else if (arguments.json) {
                // The document lists certificates in profile order, after the run.
            } else if (report.status == RenewalStatus::failed && report.error) {
                (void)report_failure(*report.error);
            } else {
                std::cout << human_line(report, issue ? "issued" : to_string(report.status),
                                        arguments.dry_run)
                          << std::endl;
            }
        };
        const auto reports = client->renew(certificates, options, listener);
        if (arguments.json && !arguments.json_stream) {
            for (const auto& report : reports)
                write_certificate_json(document, path, report, now);
        }
    }

    // A signal decides over every other outcome: the run did not do what was asked.
    const int exit_code = stop_requested() ? stop_exit_code() : outcome.exit_code();
    if (arguments.json) {
        // One document: the certificates array, then the summary. Stream: a summary line.
        json::Writer summary;
        json::Writer& out = arguments.json_stream ? summary : document;
        if (arguments.json_stream)
            out.begin_object().key("summary").boolean(true).key("dry_run").boolean(
                arguments.dry_run);
        else
            out.end_array();
        write_summary(out, outcome, profile_errors, exit_code);
        out.end_object();
        std::cout << out.str() << std::endl;
    } else if (!issue && arguments.verbosity >= 0 &&
               !(outcome.counts.empty() && exit_code != k_exit_ok)) {
        // -q prints no summary; after an error, "nothing to do" would say all is well.
        std::cerr << "wildcert: renew: ";
        bool first = true;
        for (const auto& [status, count] : outcome.counts) {
            std::cerr << (first ? "" : ", ") << count << ' ' << status;
            first = false;
        }
        std::cerr << (first ? "nothing to do" : "") << '\n';
    }
    return exit_code;
}

} // namespace wildcert::cli
