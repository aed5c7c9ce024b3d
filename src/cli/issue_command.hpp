#pragma once

#include "cli/arguments.hpp"

namespace wildcert::cli {

// Runs `wildcert issue`; returns the exit code.
[[nodiscard]] int run_issue(const Arguments& arguments);

} // namespace wildcert::cli
