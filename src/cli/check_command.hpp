#pragma once

#include "cli/arguments.hpp"

namespace wildcert::cli {

// Runs `wildcert check -c PROFILE [--cert NAME] [--json]`: a preflight that orders nothing and
// changes no record. Exit 0 when no check failed (warnings allowed), 1 when one failed, 2 for
// a usage or profile error.
[[nodiscard]] int run_check(const Arguments& arguments);

} // namespace wildcert::cli
