// Finding a deployer by type and resolving its keys per target (descriptor.hpp).
#include "deployers/descriptor.hpp"

#include "common/did_you_mean.hpp"

namespace wildcert::deployers {
namespace {

std::string known_types() {
    std::string known;
    for (const auto* deployer : all_deployers())
        known += (known.empty() ? "" : ", ") + std::string(deployer->name);
    return known;
}

// A key of the entry that the deployer does not have is reported at the entry, before the
// merge puts it under a target's name.
Result<void> check_entry_keys(const DeployerDescriptor& descriptor, const DeploySettings& entry) {
    std::vector<std::string> names;
    for (const auto& setting : descriptor.settings)
        names.emplace_back(setting.key);
    for (const auto& [key, value] : entry.settings) {
        bool known = false;
        for (const auto& setting : descriptor.settings)
            known = known || setting.key == key;
        if (!known)
            return make_error(ErrorKind::profile,
                              value.origin + ": " + entry.key_path + "." + key +
                                  ": unknown key for type \"" + std::string(descriptor.name) +
                                  "\"" + common::did_you_mean(key, names, "", '\'') +
                                  " (`wildcert deployers " + std::string(descriptor.name) +
                                  "` lists its keys)");
    }
    return {};
}

} // namespace

Result<void> check_deployer_type(const DeploySettings& entry) {
    if (find_deployer(entry.type) != nullptr)
        return {};
    std::vector<std::string> names;
    for (const auto* deployer : all_deployers())
        names.emplace_back(deployer->name);
    return make_error(ErrorKind::profile, entry.origin + ": " + entry.key_path +
                                              ".type: unknown deployer \"" + entry.type + "\"" +
                                              common::did_you_mean(entry.type, names) +
                                              " (known deployers: " + known_types() + ")");
}

Result<std::unique_ptr<Deployer>> create_deployer(const DeploySettings& entry,
                                                  const DeployerContext& context) {
    WILDCERT_CHECK(check_deployer_type(entry));
    const DeployerDescriptor& descriptor = *find_deployer(entry.type);
    if (descriptor.factory == nullptr)
        return make_error(ErrorKind::profile,
                          entry.origin + ": type \"" + entry.type + "\" is run by the caller");
    WILDCERT_CHECK(check_entry_keys(descriptor, entry));
    std::vector<Settings> targets;
    if (entry.targets.empty()) {
        WILDCERT_TRY(auto resolved, Settings::resolve_keys(entry.key_path, descriptor.settings,
                                                           entry.settings, entry.origin));
        targets.push_back(std::move(resolved));
    }
    for (const auto& target : entry.targets) {
        auto merged = entry.settings;
        for (const auto& [key, value] : target.settings)
            merged.insert_or_assign(key, value);
        WILDCERT_TRY(auto resolved, Settings::resolve_keys(target.key_path, descriptor.settings,
                                                           merged, target.origin));
        targets.push_back(std::move(resolved));
    }
    return descriptor.factory(descriptor, entry, std::move(targets), context);
}

} // namespace wildcert::deployers
