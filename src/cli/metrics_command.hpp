#pragma once

#include "cli/arguments.hpp"

namespace wildcert::cli {

// Runs `wildcert metrics`: the state directory's certificates as Prometheus text format, on
// stdout or (--textfile FILE) written atomically for node_exporter's textfile collector. From
// the state directory alone: no profile secret, no network. Returns the exit code.
[[nodiscard]] int run_metrics(const Arguments& arguments);

} // namespace wildcert::cli
