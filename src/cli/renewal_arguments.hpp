#pragma once
// The options that belong to issue and renew, checked in one place.

#include "cli/arguments.hpp"

#include <wildcert/result.hpp>

namespace wildcert::cli {

// --force, --dry-run, --run-hooks, --wait-lock, --concurrency and --json=stream outside
// issue/renew, --run-hooks without --dry-run, and several -c for one-profile commands are
// ErrorKind::usage errors.
[[nodiscard]] Result<void> check_renewal_options(const Arguments& parsed);

} // namespace wildcert::cli
