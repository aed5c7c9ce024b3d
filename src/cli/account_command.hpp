#pragma once

#include "cli/arguments.hpp"

namespace wildcert::cli {

// Runs `wildcert account show|update-contact|rollover|deactivate`; returns the exit code.
[[nodiscard]] int run_account(const Arguments& arguments);

} // namespace wildcert::cli
