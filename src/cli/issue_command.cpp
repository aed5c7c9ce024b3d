#include "cli/issue_command.hpp"

#include "cli/exit_codes.hpp"
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

Result<std::vector<CertificateSettings>> selected(const Profile& profile,
                                                  const std::vector<std::string>& names) {
    if (names.empty())
        return profile.certificates;
    std::vector<CertificateSettings> chosen;
    for (const auto& name : names) {
        const auto found =
            std::find_if(profile.certificates.begin(), profile.certificates.end(),
                         [&](const auto& certificate) { return certificate.name == name; });
        if (found == profile.certificates.end()) {
            return make_error(ErrorKind::usage, "--cert " + name + ": no [[certificate]] named \"" +
                                                    name + "\" in " + profile.path.string());
        }
        chosen.push_back(*found);
    }
    return chosen;
}

} // namespace

int run_issue(const Arguments& arguments) {
    auto profile = load_profile(arguments.profile);
    if (!profile.ok())
        return report_failure(profile.error());
    auto certificates = selected(*profile, arguments.certificates);
    if (!certificates.ok())
        return report_failure(certificates.error());

    install_stop_handlers();
    ClientOptions options;
    options.state_dir = arguments.state_dir.value_or(default_state_dir());
    options.log = stderr_log(arguments.verbosity);
    options.cancelled = stop_requested;
    auto client = Client::create(std::move(profile).value(), std::move(options));
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
