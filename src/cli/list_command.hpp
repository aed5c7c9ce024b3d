#pragma once

#include "cli/arguments.hpp"

namespace wildcert::cli {

// Runs `wildcert list`: every certificate of every profile given, from the state directory
// alone (no network); returns the exit code.
[[nodiscard]] int run_list(const Arguments& arguments);

} // namespace wildcert::cli
