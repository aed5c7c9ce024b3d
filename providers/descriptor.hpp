#pragma once
// What a provider accepts, declared once: the single source for validation, help and docs.

#include "providers/context.hpp"

#include <wildcert/dns_provider.hpp>
#include <wildcert/profile.hpp>
#include <wildcert/result.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace wildcert::providers {

// A duration is written as in the rest of the profile ("10s", "1m30s") or as whole seconds.
enum class SettingType { string, integer, boolean, duration };

struct SettingDescriptor {
    std::string_view key; // TOML key in [dns.<provider>]
    std::string_view env; // environment variable read when the key is absent ("" none)
    SettingType type = SettingType::string;
    std::string_view default_value; // "" when none
    bool required = false;
    bool secret = false; // also accepted as <key>_file; never printed
    std::string_view help;
};

struct ProviderDescriptor;
using ProviderFactory = Result<std::unique_ptr<DnsProvider>> (*)(const ProviderDescriptor&,
                                                                 const ProviderConfig&,
                                                                 const ProviderContext&);

struct ProviderDescriptor {
    std::string_view name;
    std::string_view summary;
    std::span<const SettingDescriptor> settings;
    ProviderFactory factory;

    // The provider for `config` (its [dns.<name>] table), in the run's `context`.
    [[nodiscard]] Result<std::unique_ptr<DnsProvider>>
    create(const ProviderConfig& config, const ProviderContext& context = {}) const {
        return factory(*this, config, context);
    }
};

// Every provider compiled in (providers/registry.cpp).
[[nodiscard]] std::span<const ProviderDescriptor* const> all_providers();
[[nodiscard]] const ProviderDescriptor* find_provider(std::string_view name);

// Builds the provider the profile names. Unknown keys in its table, missing required keys and
// values of the wrong type are ErrorKind::profile errors naming file, line and key.
[[nodiscard]] Result<std::unique_ptr<DnsProvider>>
create_provider(const ProviderConfig& config, const ProviderContext& context = {});

// Resolved settings of one provider: table value, else environment variable, else default.
class Settings {
public:
    // Validates `config` against `descriptor` (unknown keys, types, required keys).
    [[nodiscard]] static Result<Settings> resolve(const ProviderDescriptor& descriptor,
                                                  const ProviderConfig& config);
    // The same for any table of untyped keys: `prefix` is its dotted path in messages
    // ("certificate[0].deploy[1]"), `origin` where it starts (for a missing required key).
    // The deployers (deployers/) resolve their entries and targets with it.
    [[nodiscard]] static Result<Settings>
    resolve_keys(const std::string& prefix, std::span<const SettingDescriptor> descriptors,
                 const std::map<std::string, SettingValue>& values, const std::string& origin);

    [[nodiscard]] std::optional<std::string> string(std::string_view key) const;
    [[nodiscard]] std::optional<std::int64_t> integer(std::string_view key) const;
    [[nodiscard]] std::optional<bool> boolean(std::string_view key) const;
    [[nodiscard]] std::optional<std::chrono::milliseconds> duration(std::string_view key) const;
    // "path/profile.toml:12: dns.rfc2136.server" (or "environment variable X"), for errors.
    [[nodiscard]] std::string where(std::string_view key) const;
    // An ErrorKind::profile error "<where(key)>: <why>", the one shape of a setting's error.
    [[nodiscard]] Error error(std::string_view key, const std::string& why) const;

private:
    struct Entry {
        std::string key;
        SettingValue value;
        std::string where;
    };
    std::vector<Entry> m_entries;
    [[nodiscard]] const Entry* find(std::string_view key) const;
};

} // namespace wildcert::providers
