#pragma once

#include "cli/arguments.hpp"

namespace wildcert::cli {

// Runs `wildcert providers [NAME]`: every compiled-in provider with its summary, or one
// provider's settings, all from the descriptors (providers/descriptor.hpp). Shows no value
// from the environment or a profile, so it never prints a secret. Returns the exit code.
[[nodiscard]] int run_providers(const Arguments& arguments);

} // namespace wildcert::cli
