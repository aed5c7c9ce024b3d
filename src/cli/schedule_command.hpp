#pragma once

#include "cli/arguments.hpp"

namespace wildcert::cli {

// The options only `schedule` takes (--install, --unit-dir), and what schedule needs (a
// profile). Errors are ErrorKind::usage.
[[nodiscard]] Result<void> check_schedule_arguments(const Arguments& parsed);

// Runs `wildcert schedule -c PROFILE... [--state-dir DIR] [--cert NAME]... [--install
// [--unit-dir DIR]]`: prints a systemd service + timer pair and a cron line that run
// `wildcert renew` with these options twice a day, or with --install writes the two units
// into DIR (default /etc/systemd/system) and prints the systemctl command that enables them.
// Runs no systemctl itself. Returns the exit code.
[[nodiscard]] int run_schedule(const Arguments& arguments);

} // namespace wildcert::cli
