#include "cli/cleanup_command.hpp"

#include "cli/exit_codes.hpp"
#include "cli/open_client.hpp"
#include "cli/report.hpp"

#include <wildcert/client.hpp>
#include <wildcert/profile.hpp>

#include <algorithm>
#include <iostream>

namespace wildcert::cli {

int run_cleanup(const Arguments& arguments) {
    if (!arguments.certificates.empty())
        return report_failure(Error{ErrorKind::usage, "cleanup takes no --cert: the records "
                                                      "left behind belong to the profile (see "
                                                      "wildcert --help)"});
    auto profile = load_profile(arguments.profile);
    if (!profile.ok())
        return report_failure(profile.error());
    report_warnings(*profile);
    auto state_dir = state_dir_for(arguments);
    if (!state_dir.ok())
        return report_failure(state_dir.error());
    auto client = open_client(std::move(profile).value(), arguments);
    if (!client.ok())
        return report_failure(client.error());
    const auto outcomes = client->clean_up_leftovers();
    if (!outcomes.ok())
        return report_failure(outcomes.error());
    for (const auto& outcome : *outcomes) {
        const auto& record = outcome.record;
        const std::string shown =
            record.fqdn + " TXT \"" + record.value + "\" (zone " + record.zone + ")";
        if (outcome.failure)
            std::cout << "failed  " << shown << ": " << outcome.failure->message << '\n';
        else
            std::cout << "removed " << shown << '\n';
    }
    const auto failed = std::count_if(outcomes->begin(), outcomes->end(),
                                      [](const RecordRemoval& o) { return o.failure.has_value(); });
    const auto removed = static_cast<long>(outcomes->size()) - failed;
    if (outcomes->empty())
        std::cout << "cleanup: no records left by earlier runs\n";
    else
        std::cout << "cleanup: " << removed << " removed, " << failed << " failed"
                  << (failed > 0
                          ? " (kept in " + (*state_dir / "journal").string() + " for the next run)"
                          : std::string())
                  << '\n';
    std::cout.flush();
    return failed > 0 ? k_exit_failed : k_exit_ok;
}

} // namespace wildcert::cli
