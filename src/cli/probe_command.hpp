#pragma once

#include "cli/arguments.hpp"

namespace wildcert::cli {

// Runs `wildcert probe -c PROFILE`: every verify endpoint of the profile's deploy entries,
// what it serves now and whether that is the live version. Exit 0 when every endpoint serves
// its live certificate, 1 when one is stale or unreachable.
[[nodiscard]] int run_probe(const Arguments& arguments);

} // namespace wildcert::cli
