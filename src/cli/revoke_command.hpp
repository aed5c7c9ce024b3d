#pragma once

#include "cli/arguments.hpp"

namespace wildcert::cli {

// Runs `wildcert revoke --cert NAME [--reason R] [--with-cert-key]`; returns the exit code.
[[nodiscard]] int run_revoke(const Arguments& arguments);

} // namespace wildcert::cli
