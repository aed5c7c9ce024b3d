#include "cli/account_command.hpp"
#include "cli/arguments.hpp"
#include "cli/check_command.hpp"
#include "cli/cleanup_command.hpp"
#include "cli/exit_codes.hpp"
#include "cli/list_command.hpp"
#include "cli/providers_command.hpp"
#include "cli/renew_command.hpp"
#include "cli/revoke_command.hpp"
#include "cli/schedule_command.hpp"
#include "wildcert_version.h"

#include <exception>
#include <iostream>

int main(int argc, char** argv) {
    using namespace wildcert::cli;
    try {
        const std::vector<std::string> args(argv + 1, argv + argc);
        auto parsed = parse_arguments(args);
        if (!parsed.ok()) {
            std::cerr << "wildcert: error: " << parsed.error().message << '\n';
            return k_exit_usage;
        }
        switch (parsed->command) {
        case Command::help:
            std::cout << usage_text();
            return k_exit_ok;
        case Command::version:
            std::cout << "wildcert " << WILDCERT_VERSION << '\n';
            return k_exit_ok;
        case Command::issue:
        case Command::renew:
            return run_renewal(*parsed);
        case Command::list:
            return run_list(*parsed);
        case Command::providers:
            return run_providers(*parsed);
        case Command::account:
            return run_account(*parsed);
        case Command::revoke:
            return run_revoke(*parsed);
        case Command::schedule:
            return run_schedule(*parsed);
        case Command::check:
            return run_check(*parsed);
        case Command::cleanup:
            return run_cleanup(*parsed);
        }
    } catch (const std::exception& error) {
        // Last resort: every library call returns Result; reaching this is a bug.
        std::cerr << "wildcert: error: unexpected failure: " << error.what() << '\n';
    }
    return k_exit_failed;
}
