#include "cli/check_command.hpp"

#include "cli/exit_codes.hpp"
#include "cli/open_client.hpp"
#include "cli/report.hpp"
#include "json/json.hpp"

#include <wildcert/client.hpp>
#include <wildcert/preflight.hpp>
#include <wildcert/profile.hpp>

#include <iostream>

namespace wildcert::cli {
namespace {

const char* human_status(CheckStatus status) {
    switch (status) {
    case CheckStatus::ok:
        return "ok  ";
    case CheckStatus::warning:
        return "WARN";
    case CheckStatus::failed:
        return "FAIL";
    }
    return "FAIL";
}

void print_text(const PreflightReport& report) {
    for (const auto& check : report.checks)
        std::cout << human_status(check.status) << ' ' << check.subject << ": " << check.detail
                  << '\n';
    std::cout << (report.ok() ? "check passed" : "check failed") << std::endl;
}

void print_json(const PreflightReport& report) {
    json::Writer out;
    out.begin_object().key("ok").boolean(report.ok()).key("checks").begin_array();
    for (const auto& check : report.checks) {
        out.begin_object()
            .key("subject")
            .string(check.subject)
            .key("status")
            .string(to_string(check.status))
            .key("detail")
            .string(check.detail)
            .end_object();
    }
    out.end_array().end_object();
    std::cout << out.str() << std::endl;
}

} // namespace

int run_check(const Arguments& arguments) {
    auto profile = load_profile(arguments.profile);
    if (!profile.ok())
        return report_failure(profile.error());
    report_warnings(*profile);
    auto certificates = selected_certificates(*profile, arguments.certificates);
    if (!certificates.ok())
        return report_failure(certificates.error());
    const std::string summary = profile->path.string() + ": " +
                                std::to_string(certificates->size()) +
                                " certificate(s), provider " + profile->dns.provider.name;
    auto client = open_client(std::move(profile).value(), arguments);
    if (!client.ok())
        return report_failure(client.error());
    auto report = client->check(*certificates);
    report.checks.insert(report.checks.begin(), CheckItem{"profile", CheckStatus::ok, summary});
    if (arguments.json)
        print_json(report);
    else
        print_text(report);
    return report.ok() ? k_exit_ok : k_exit_failed;
}

} // namespace wildcert::cli
