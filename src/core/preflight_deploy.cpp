// `wildcert check`: every target of every deploy entry can be reached, and would accept the
// certificate, without changing it (Deployer::check_access).
#include "core/preflight_checks.hpp"

#include "common/parallel_for.hpp"
#include "deployers/descriptor.hpp"

#include <algorithm>

namespace wildcert::core {

void check_deploy_targets(const Client::State& state,
                          const std::vector<CertificateSettings>& certificates, Checks& checks) {
    for (const auto& certificate : certificates) {
        for (const auto& entry : certificate.deploy) {
            if (entry.type == "command")
                continue;
            const std::string subject = "deploy " + certificate.name + " " + entry.type;
            auto created = deployers::create_deployer(entry, {state.options.cancelled});
            if (!created.ok()) {
                checks.add(subject, CheckStatus::failed, created.error().message);
                continue;
            }
            auto& deployer = **created;
            const auto names = deployer.targets();
            std::vector<Result<void>> results(names.size(), Result<void>{});
            // Targets are hosts of their own: asked side by side, reported in order.
            parallel_for(names.size(), std::clamp<std::size_t>(names.size(), 1, 8),
                         [&](std::size_t i) { results[i] = deployer.check_access(i); });
            for (std::size_t i = 0; i < names.size(); ++i)
                checks.add(subject + " " + names[i],
                           results[i].ok() ? CheckStatus::ok : CheckStatus::failed,
                           results[i].ok() ? "reachable; would accept the certificate"
                                           : results[i].error().message);
        }
    }
}

} // namespace wildcert::core
