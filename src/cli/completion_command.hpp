#pragma once

#include "cli/arguments.hpp"

namespace wildcert::cli {

// `wildcert completion SHELL`: prints the shell's completion script on stdout.
[[nodiscard]] int run_completion(const Arguments& arguments);

} // namespace wildcert::cli
