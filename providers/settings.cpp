#include "providers/descriptor.hpp"

#include "common/did_you_mean.hpp"
#include "config/duration.hpp"

#include <charconv>
#include <cstdlib>

namespace wildcert::providers {
namespace {

const char* type_name(SettingType type) {
    switch (type) {
    case SettingType::string:
        return "a string";
    case SettingType::integer:
        return "an integer";
    case SettingType::boolean:
        return "a boolean";
    case SettingType::duration:
        return "a duration (\"10s\", or seconds)";
    }
    return "a value";
}

const char* type_name_of(const SettingValue& value) {
    if (std::holds_alternative<std::string>(value.value))
        return "a string";
    if (std::holds_alternative<std::int64_t>(value.value))
        return "an integer";
    return "a boolean";
}

bool has_type(const SettingValue& value, SettingType type) {
    switch (type) {
    case SettingType::string:
        return std::holds_alternative<std::string>(value.value);
    case SettingType::integer:
        return std::holds_alternative<std::int64_t>(value.value);
    case SettingType::boolean:
        return std::holds_alternative<bool>(value.value);
    case SettingType::duration:
        return !std::holds_alternative<bool>(value.value);
    }
    return false;
}

std::string dotted_key(std::string_view prefix, std::string_view key) {
    return std::string(prefix) + "." + std::string(key);
}

std::string known_keys(std::span<const SettingDescriptor> descriptors) {
    std::string list;
    for (const auto& setting : descriptors)
        list += (list.empty() ? "" : ", ") + std::string(setting.key);
    return list.empty() ? "(none)" : list;
}

std::vector<std::string> key_names(std::span<const SettingDescriptor> descriptors) {
    std::vector<std::string> names;
    for (const auto& setting : descriptors)
        names.emplace_back(setting.key);
    return names;
}

// Durations are kept as milliseconds once resolved. Seconds are capped where the profile's
// other durations are, which keeps the conversion far from overflow.
constexpr std::int64_t k_max_duration_seconds = 999'999'999;

Result<SettingValue> duration_value(std::int64_t seconds, const std::string& where) {
    if (seconds < 0 || seconds > k_max_duration_seconds)
        return make_error(ErrorKind::profile,
                          where + ": must be a number of seconds from 0 to 999999999");
    return SettingValue{seconds * 1000, where};
}

// `shown` is how the message may quote the text: "" when it must not (a variable's value).
Result<SettingValue> duration_from_text(std::string_view text, const std::string& where,
                                        const std::string& shown) {
    if (const auto duration = config::parse_duration(text))
        return SettingValue{static_cast<std::int64_t>(duration->count()), where};
    return make_error(ErrorKind::profile,
                      where + ": " + (shown.empty() ? std::string("the value") : shown) +
                          " is not a duration (write e.g. \"10s\", \"1m30s\", or seconds)");
}

// Text from the environment or a descriptor default, typed as the setting says. `where`
// names the source (the variable); the text is never repeated in the error: a variable may
// hold anything, a secret set under the wrong name included.
Result<SettingValue> typed_from_text(const SettingDescriptor& setting, std::string_view text,
                                     const std::string& where) {
    switch (setting.type) {
    case SettingType::string:
        return SettingValue{std::string(text), where};
    case SettingType::integer: {
        std::int64_t number = 0;
        const auto* end = text.data() + text.size();
        const auto [ptr, ec] = std::from_chars(text.data(), end, number);
        if (text.empty() || ec != std::errc() || ptr != end)
            return make_error(ErrorKind::profile, where + ": expected an integer");
        return SettingValue{number, where};
    }
    case SettingType::boolean:
        if (text == "true" || text == "1" || text == "yes")
            return SettingValue{true, where};
        if (text == "false" || text == "0" || text == "no")
            return SettingValue{false, where};
        return make_error(ErrorKind::profile, where + ": expected true or false");
    case SettingType::duration: {
        std::int64_t seconds = 0;
        const auto* end = text.data() + text.size();
        const auto [ptr, ec] = std::from_chars(text.data(), end, seconds);
        if (!text.empty() && ec == std::errc() && ptr == end)
            return duration_value(seconds, where);
        return duration_from_text(text, where, "");
    }
    }
    return make_error(ErrorKind::profile, where + ": unknown setting type");
}

// A table value as the setting's type. Text from a WILDCERT_DNS_<PROVIDER>_<KEY> variable is
// converted here, where the type is known; a file value must already have it.
Result<SettingValue> typed_table_value(const SettingDescriptor& setting, const SettingValue& value,
                                       const std::string& where) {
    const auto* text = std::get_if<std::string>(&value.value);
    if (setting.type == SettingType::duration && has_type(value, setting.type)) {
        WILDCERT_TRY(SettingValue typed,
                     text == nullptr
                         ? duration_value(std::get<std::int64_t>(value.value), where)
                         : duration_from_text(*text, where,
                                              value.from_environment || value.interpolated
                                                  ? std::string()
                                                  : "'" + *text + "'"));
        typed.origin = value.origin;
        return typed;
    }
    if (value.from_environment && text != nullptr && setting.type != SettingType::string) {
        WILDCERT_TRY(SettingValue typed, typed_from_text(setting, *text, where));
        typed.origin = value.origin;
        return typed;
    }
    if (!has_type(value, setting.type))
        return make_error(ErrorKind::profile, where + ": expected " + type_name(setting.type) +
                                                  ", got " + type_name_of(value));
    return value;
}

} // namespace

Result<Settings> Settings::resolve(const ProviderDescriptor& descriptor,
                                   const ProviderConfig& config) {
    return resolve_keys("dns." + std::string(descriptor.name), descriptor.settings, config.settings,
                        config.origin);
}

Result<Settings> Settings::resolve_keys(const std::string& prefix,
                                        std::span<const SettingDescriptor> descriptors,
                                        const std::map<std::string, SettingValue>& values,
                                        const std::string& origin) {
    for (const auto& [key, value] : values) {
        const auto where = value.origin + ": " + dotted_key(prefix, key);
        const SettingDescriptor* setting = nullptr;
        for (const auto& candidate : descriptors) {
            if (candidate.key == key)
                setting = &candidate;
        }
        if (setting == nullptr)
            return make_error(ErrorKind::profile,
                              where + ": unknown key '" + key + "'" +
                                  common::did_you_mean(key, key_names(descriptors), "", '\'') +
                                  " (known keys: " + known_keys(descriptors) + ")");
        WILDCERT_CHECK(typed_table_value(*setting, value, where));
    }

    Settings settings;
    for (const auto& setting : descriptors) {
        const std::string key(setting.key);
        if (const auto found = values.find(key); found != values.end()) {
            const std::string where = found->second.origin + ": " + dotted_key(prefix, key);
            WILDCERT_TRY(SettingValue value, typed_table_value(setting, found->second, where));
            settings.m_entries.push_back(Entry{key, std::move(value), where});
            continue;
        }
        if (!setting.env.empty()) {
            const std::string env(setting.env);
            const char* text = std::getenv(env.c_str());
            if (text != nullptr && *text != '\0') {
                const std::string where = "environment variable " + env;
                WILDCERT_TRY(auto value, typed_from_text(setting, text, where));
                settings.m_entries.push_back(Entry{key, std::move(value), where});
                continue;
            }
        }
        if (!setting.default_value.empty()) {
            const std::string where = dotted_key(prefix, key) + " (default)";
            WILDCERT_TRY(auto value, typed_from_text(setting, setting.default_value, where));
            settings.m_entries.push_back(Entry{key, std::move(value), where});
            continue;
        }
        if (setting.required) {
            std::string message = origin + ": " + dotted_key(prefix, key) + " is required";
            if (!setting.env.empty())
                message += " (or set " + std::string(setting.env) + ")";
            return make_error(ErrorKind::profile, message);
        }
    }
    return settings;
}

const Settings::Entry* Settings::find(std::string_view key) const {
    for (const auto& entry : m_entries) {
        if (entry.key == key)
            return &entry;
    }
    return nullptr;
}

std::optional<std::string> Settings::string(std::string_view key) const {
    const Entry* entry = find(key);
    if (entry == nullptr)
        return std::nullopt;
    if (const auto* text = std::get_if<std::string>(&entry->value.value))
        return *text;
    return std::nullopt;
}

std::optional<std::int64_t> Settings::integer(std::string_view key) const {
    const Entry* entry = find(key);
    if (entry == nullptr)
        return std::nullopt;
    if (const auto* number = std::get_if<std::int64_t>(&entry->value.value))
        return *number;
    return std::nullopt;
}

std::optional<bool> Settings::boolean(std::string_view key) const {
    const Entry* entry = find(key);
    if (entry == nullptr)
        return std::nullopt;
    if (const auto* flag = std::get_if<bool>(&entry->value.value))
        return *flag;
    return std::nullopt;
}

std::optional<std::chrono::milliseconds> Settings::duration(std::string_view key) const {
    const Entry* entry = find(key);
    if (entry == nullptr)
        return std::nullopt;
    if (const auto* milliseconds = std::get_if<std::int64_t>(&entry->value.value))
        return std::chrono::milliseconds(*milliseconds);
    return std::nullopt;
}

std::string Settings::where(std::string_view key) const {
    const Entry* entry = find(key);
    return entry != nullptr ? entry->where : std::string(key);
}

Error Settings::error(std::string_view key, const std::string& why) const {
    return make_error(ErrorKind::profile, where(key) + ": " + why);
}

Result<std::unique_ptr<DnsProvider>> create_provider(const ProviderConfig& config,
                                                     const ProviderContext& context) {
    const ProviderDescriptor* descriptor = find_provider(config.name);
    if (descriptor == nullptr) {
        std::string known;
        for (const auto* provider : all_providers())
            known += (known.empty() ? "" : ", ") + std::string(provider->name);
        std::vector<std::string> names;
        for (const auto* provider : all_providers())
            names.emplace_back(provider->name);
        return make_error(ErrorKind::profile,
                          config.origin + ": dns.provider: unknown provider \"" + config.name +
                              "\"" + common::did_you_mean(config.name, names) +
                              " (known providers: " + known + ")");
    }
    return descriptor->create(config, context);
}

} // namespace wildcert::providers
