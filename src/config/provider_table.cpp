#include "config/sections.hpp"

#include "config/small_file.hpp"

#include <algorithm>
#include <utility>

namespace wildcert::config {
namespace {

// Secrets are a line or a short PEM block; anything bigger is the wrong file.
constexpr std::size_t k_max_secret_file_bytes = 64 * 1024;
constexpr std::string_view k_file_suffix = "_file";

bool is_file_key(std::string_view key) {
    return key.size() > k_file_suffix.size() &&
           key.substr(key.size() - k_file_suffix.size()) == k_file_suffix;
}

std::string_view base_key(std::string_view file_key) {
    return file_key.substr(0, file_key.size() - k_file_suffix.size());
}

// Files written by `echo` or an editor end with a newline that is not part of the secret.
void trim_trailing_newlines(std::string& text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
        text.pop_back();
}

std::string origin_of(const TableReader& table, const Node& node) {
    return origin(table.context(), node.position);
}

Result<SettingValue> read_file_setting(const TableReader& table, const Entry& entry) {
    WILDCERT_TRY(const Text path_text, table.text(entry.value, entry.key));
    if (path_text.value.empty())
        return table.error(entry.value.position, entry.key, "is empty; expected a file path");
    const auto path = resolve_path(table.context(), path_text);
    auto content = read_small_file(path, k_max_secret_file_bytes);
    if (!content.ok()) {
        // Names the file and the reason; the content is never part of the message.
        return table.error(entry.value.position, entry.key,
                           "cannot read " + path_text.shown() + ": " + content.error().message);
    }
    warn_if_readable_by_others(table.context(), entry.value.position, table.key_path(entry.key),
                               path);
    std::string value = std::move(content).value();
    trim_trailing_newlines(value);
    return SettingValue{std::move(value), origin_of(table, entry.value)};
}

Result<SettingValue> read_plain_setting(const TableReader& table, const Entry& entry) {
    switch (entry.value.kind) {
    case Node::Kind::string: {
        WILDCERT_TRY(Text text, table.text(entry.value, entry.key));
        return SettingValue{std::move(text.value), origin_of(table, entry.value),
                            is_environment_line(entry.value.position), text.interpolated};
    }
    case Node::Kind::integer:
        return SettingValue{entry.value.integer, origin_of(table, entry.value)};
    case Node::Kind::boolean:
        return SettingValue{entry.value.boolean, origin_of(table, entry.value)};
    default:
        return table.wrong_type(entry.value, entry.key, "a string, integer or boolean");
    }
}

} // namespace

Result<ProviderConfig> read_provider_table(TableReader& table, const std::string& provider) {
    ProviderConfig config;
    config.name = provider;
    WILDCERT_TRY(config.settings, read_untyped_settings(table, {}, FileKeys::read));
    return config;
}

Result<std::map<std::string, SettingValue>>
read_untyped_settings(TableReader& table, std::span<const std::string_view> skip,
                      FileKeys file_keys) {
    std::map<std::string, SettingValue> settings;
    for (const auto& entry : table.entries()) {
        if (std::find(skip.begin(), skip.end(), entry.key) != skip.end())
            continue;
        table.mark_known(entry.key);
        if (file_keys == FileKeys::as_written || !is_file_key(entry.key)) {
            WILDCERT_TRY(SettingValue value, read_plain_setting(table, entry));
            settings.insert_or_assign(entry.key, std::move(value));
            continue;
        }
        const std::string base(base_key(entry.key));
        // Entries come in file order, so whichever of the pair is second is the one reported.
        for (const auto& other : table.entries()) {
            if (other.key == base) {
                const Position second = std::max(other.value.position, entry.value.position);
                return table.error(second, entry.key,
                                   "both '" + base + "' and '" + entry.key + "' are set; keep one");
            }
        }
        WILDCERT_TRY(SettingValue value, read_file_setting(table, entry));
        settings.insert_or_assign(base, std::move(value));
    }
    return settings;
}

} // namespace wildcert::config
