#include "cli/issue_command.hpp"

#include "cli/exit_codes.hpp"
#include "cli/open_client.hpp"
#include "cli/report.hpp"
#include "cli/signals.hpp"

#include <wildcert/client.hpp>
#include <wildcert/profile.hpp>

#include <algorithm>
#include <ctime>
#include <iostream>

namespace wildcert::cli {
namespace {

std::string iso_utc(std::chrono::system_clock::time_point when) {
    const auto time = std::chrono::system_clock::to_time_t(when);
    std::tm tm{};
    gmtime_r(&time, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

} // namespace

int run_issue(const Arguments& arguments) {
    auto profile = load_profile(arguments.profile);
    if (!profile.ok())
        return report_failure(profile.error());
    auto certificates = selected_certificates(*profile, arguments.certificates);
    if (!certificates.ok())
        return report_failure(certificates.error());

    install_stop_handlers();
    auto client = open_client(std::move(profile).value(), arguments, stop_requested);
    if (!client.ok())
        return report_failure(client.error());

    int exit_code = k_exit_ok;
    // One batch: the records of every certificate are published and checked together.
    for (const auto& issued : client->issue_all(*certificates)) {
        if (!issued.ok()) {
            exit_code = std::max(exit_code, report_failure(issued.error()));
            continue;
        }
        std::cout << issued->name << ": issued serial " << issued->serial_hex << " expires "
                  << iso_utc(issued->not_after) << " in " << issued->live_dir.string() << std::endl;
    }
    return exit_code;
}

} // namespace wildcert::cli
