#pragma once

#include "cli/arguments.hpp"

namespace wildcert::cli {

// Runs `wildcert issue` (every selected certificate, due or not) or `wildcert renew` (what is
// due, over every profile given); returns the exit code (exit_codes.hpp).
[[nodiscard]] int run_renewal(const Arguments& arguments);

} // namespace wildcert::cli
