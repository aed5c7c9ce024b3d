#include "cli/metrics_command.hpp"

#include "cli/exit_codes.hpp"
#include "cli/metrics_text.hpp"
#include "cli/opened_store.hpp"
#include "cli/report.hpp"
#include "store/atomic_file.hpp"

#include <wildcert/certificate_store.hpp>

#include <algorithm>
#include <iostream>

namespace wildcert::cli {
namespace {

using Clock = std::chrono::system_clock;

double unix_seconds(Clock::time_point when) {
    return static_cast<double>(
        std::chrono::duration_cast<std::chrono::seconds>(when.time_since_epoch()).count());
}

bool wanted(const Arguments& arguments, const std::string& name) {
    return arguments.certificates.empty() ||
           std::find(arguments.certificates.begin(), arguments.certificates.end(), name) !=
               arguments.certificates.end();
}

std::vector<MetricFamily> families_of(const std::vector<StoredCertificate>& stored,
                                      const Arguments& arguments, Clock::time_point now) {
    MetricFamily expiry{"wildcert_certificate_expiry_timestamp_seconds",
                        "When the certificate's current version expires (notAfter), Unix time.",
                        "gauge",
                        {}};
    MetricFamily renew_at{"wildcert_certificate_renewal_window_timestamp_seconds",
                          "The instant chosen in the CA's renewal window (ARI), Unix time; "
                          "absent when the CA gave none.",
                          "gauge",
                          {}};
    MetricFamily readable{"wildcert_certificate_readable",
                          "1 when the state directory's record of the certificate can be read.",
                          "gauge",
                          {}};
    MetricFamily pending{"wildcert_certificate_deploy_pending",
                         "1 while outputs, commands or targets of the current version are not "
                         "all deployed (the next renew retries them).",
                         "gauge",
                         {}};
    MetricFamily targets{"wildcert_certificate_deploy_targets_done",
                         "Deploy targets done for the current version.",
                         "gauge",
                         {}};
    for (const auto& certificate : stored) {
        const auto& report = certificate.report;
        if (!wanted(arguments, report.name))
            continue;
        const MetricLabels name{{"name", report.name}};
        const bool ok = report.status != RenewalStatus::failed;
        readable.samples.push_back({name, ok ? 1.0 : 0.0});
        if (!ok)
            continue;
        const MetricLabels labels{
            {"name", report.name},
            {"profile", certificate.profile ? certificate.profile->string() : ""},
            {"domain", report.domains.empty() ? "" : report.domains.front()},
            {"issuer", report.issuer},
        };
        if (report.not_after)
            expiry.samples.push_back({labels, unix_seconds(*report.not_after)});
        if (report.renew_at)
            renew_at.samples.push_back({name, unix_seconds(*report.renew_at)});
        pending.samples.push_back({name, certificate.deploy_pending ? 1.0 : 0.0});
        targets.samples.push_back({name, static_cast<double>(certificate.deployed_targets.size())});
    }
    MetricFamily generated{"wildcert_metrics_generated_timestamp_seconds",
                           "When these metrics were written, Unix time (a stale file shows).",
                           "gauge",
                           {{{}, unix_seconds(now)}}};
    return {expiry, renew_at, readable, pending, targets, generated};
}

} // namespace

int run_metrics(const Arguments& arguments) {
    auto opened = open_store(arguments);
    if (!opened.ok())
        return report_failure(opened.error());
    auto& stored = opened->certificates;
    const auto text = metrics_text(families_of(stored, arguments, Clock::now()));
    if (!arguments.metrics_textfile) {
        std::cout << text << std::flush;
        return k_exit_ok;
    }
    // node_exporter reads *.prom only, so the temporary file beside it is never scraped.
    const auto written = store::write_file_atomically(
        *arguments.metrics_textfile, text,
        std::filesystem::perms::owner_read | std::filesystem::perms::owner_write |
            std::filesystem::perms::group_read | std::filesystem::perms::others_read);
    if (!written.ok())
        return report_failure(written.error());
    return k_exit_ok;
}

} // namespace wildcert::cli
