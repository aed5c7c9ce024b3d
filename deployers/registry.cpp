// Every deployer compiled in. `wildcert deployers`, validation and the docs read this list.
#include "deployers/descriptor.hpp"
#include "deployers/haproxy/haproxy_deployer.hpp"
#include "deployers/service/service_deployer.hpp"
#include "deployers/ssh/ssh_deployer.hpp"

namespace wildcert::deployers {
namespace {

// type = "command" runs a program with the WILDCERT_* environment (command/command_hooks.hpp);
// its keys (command, timeout) are profile keys, read when the profile is loaded.
constexpr DeployerDescriptor k_command{
    "command",
    "runs a program (command = [...], no shell; timeout) with the new files in WILDCERT_* "
    "variables; a failed command stops the entries after it",
    {},
    nullptr,
};

constexpr const DeployerDescriptor* k_deployers[] = {
    &k_command,
    &haproxy::k_descriptor,
    &ssh::k_descriptor,
    &service::k_descriptor,
};

} // namespace

std::span<const DeployerDescriptor* const> all_deployers() {
    return k_deployers;
}

const DeployerDescriptor* find_deployer(std::string_view name) {
    for (const auto* deployer : k_deployers) {
        if (deployer->name == name)
            return deployer;
    }
    return nullptr;
}

} // namespace wildcert::deployers
