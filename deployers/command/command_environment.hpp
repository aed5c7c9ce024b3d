#pragma once
// The environment a deploy command runs with (docs/dev/architecture.md §5).

#include "deployers/command/command_hooks.hpp"

#include <span>
#include <string>
#include <vector>

namespace wildcert::deployers {

// `inherited` ("NAME=value" entries, the caller's environment) without any WILDCERT_* variable
// of the deploy interface, followed by those variables filled from `context`. An inherited
// WILDCERT_CERT must not reach a hook as if wildcert had set it.
[[nodiscard]] std::vector<std::string> deploy_environment(const DeployContext& context,
                                                          std::span<const std::string> inherited);

} // namespace wildcert::deployers
