#include "core/deploy_hooks.hpp"

namespace wildcert::core {

// Placeholder: replaced by the deploy branch.
std::vector<HookOutcome> run_deploy_hooks(const std::vector<DeploySettings>&, const DeployContext&,
                                          const LogSink&, const std::function<bool()>&) {
    return {};
}

} // namespace wildcert::core
