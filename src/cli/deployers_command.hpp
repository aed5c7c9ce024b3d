#pragma once

#include "cli/arguments.hpp"

namespace wildcert::cli {

// Runs `wildcert deployers [NAME]`: every compiled-in deployer with its summary, or one
// deployer's keys, all from the descriptors (deployers/descriptor.hpp). Shows no value from
// the environment or a profile, so it never prints a secret. Returns the exit code.
[[nodiscard]] int run_deployers(const Arguments& arguments);

} // namespace wildcert::cli
