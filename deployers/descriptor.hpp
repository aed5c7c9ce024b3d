#pragma once
// What a deployer accepts, declared once: the single source for validation, `wildcert
// deployers` and the docs, as providers/descriptor.hpp is for DNS providers.

#include "deployers/deployer.hpp"
#include "providers/descriptor.hpp"

#include <wildcert/profile.hpp>

#include <memory>
#include <span>
#include <string_view>

namespace wildcert::deployers {

// A deployer's keys have the providers' shape (type, environment variable, default, secret,
// help); each may be written on the [[certificate.deploy]] entry or in one of its targets.
using providers::SettingDescriptor;
using providers::Settings;
using providers::SettingType;

struct DeployerDescriptor;
// One resolved Settings per target (the entry's keys under the target's own).
using DeployerFactory = Result<std::unique_ptr<Deployer>> (*)(const DeployerDescriptor&,
                                                              const DeploySettings&,
                                                              std::vector<Settings> targets,
                                                              const DeployerContext&);

struct DeployerDescriptor {
    std::string_view name;
    std::string_view summary;
    std::span<const SettingDescriptor> settings;
    DeployerFactory factory; // nullptr: the runner does it itself (type command)
};

// Every deployer compiled in (deployers/registry.cpp), "command" first.
[[nodiscard]] std::span<const DeployerDescriptor* const> all_deployers();
[[nodiscard]] const DeployerDescriptor* find_deployer(std::string_view name);

// The deployer of one [[certificate.deploy]] entry whose type is not "command": its type
// known, its keys and each target's checked against the descriptor (unknown keys with a
// suggestion, types, required keys), all as ErrorKind::profile errors naming file, line, key.
[[nodiscard]] Result<std::unique_ptr<Deployer>> create_deployer(const DeploySettings& entry,
                                                                const DeployerContext& context);

// The type of `entry` is a known deployer (for profile checks that build nothing).
[[nodiscard]] Result<void> check_deployer_type(const DeploySettings& entry);

} // namespace wildcert::deployers
