#include "config/table_reader.hpp"

#include "config/profile_keys.hpp"

#include "common/did_you_mean.hpp"

#include <cstdio>
#include <sys/stat.h>

#include <utility>

namespace wildcert::config {

std::string origin(const LoadContext& context, Position position) {
    if (is_environment_line(position)) {
        const std::size_t index = position.line - k_environment_line;
        if (index < context.environment.size())
            return "environment " + context.environment[index];
        return "environment";
    }
    std::string where = context.file + ":" + std::to_string(position.line);
    if (position.column != 0)
        where += ":" + std::to_string(position.column);
    return where;
}

Error profile_error(const LoadContext& context, Position position, std::string_view key,
                    std::string_view what) {
    std::string message = origin(context, position) + ": ";
    if (!key.empty()) {
        message += key;
        message += ": ";
    }
    message += what;
    return make_error(ErrorKind::profile, std::move(message));
}

std::string shown_value(Position position, std::string_view value) {
    // A variable may hold anything, a secret set under the wrong name included; the message's
    // origin names the variable.
    if (is_environment_line(position))
        return "the value (not shown)";
    return std::string(value);
}

std::string Text::shown() const {
    if (is_environment_line(position))
        return shown_value(position, value);
    if (interpolated)
        return "'" + raw + "' (after interpolation)";
    return "'" + value + "'";
}

std::string element_suffix(std::size_t index) {
    return "[" + std::to_string(index + 1) + "]";
}

TableReader::TableReader(const LoadContext& context, const Node& table, std::string path)
    : m_context(context), m_table(table), m_path(std::move(path)) {}

std::string TableReader::key_path(std::string_view key) const {
    if (m_path.empty())
        return std::string(key);
    if (key.empty())
        return m_path;
    if (key.front() == '[')
        return m_path + std::string(key);
    return m_path + "." + std::string(key);
}

Error TableReader::error(Position position, std::string_view key, std::string_view what) const {
    return profile_error(m_context, position, key_path(key), what);
}

Error TableReader::missing(std::string_view key) const {
    // "domain" written for "domains": the unknown key is what the user has to fix.
    const std::string section = profile_section(m_path);
    for (const auto& entry : m_table.table) {
        const bool is_table = entry.value.kind == Node::Kind::table;
        if (m_known.find(entry.key) == m_known.end() &&
            find_profile_key(section, entry.key, is_table) == nullptr &&
            !common::closest_match(entry.key, {std::string(key)}).empty())
            return unknown_key(entry);
    }
    const std::string where = m_path.empty() ? std::string() : m_path;
    return profile_error(m_context, m_table.position, where,
                         "missing required key '" + std::string(key) + "'");
}

Error TableReader::unknown_key(const Entry& entry) const {
    const std::string section = profile_section(m_path);
    std::vector<std::string> documented;
    for (const auto& key : profile_keys()) {
        if (key.section == section && !key.key.starts_with('<'))
            documented.emplace_back(key.key);
    }
    return error(entry.key_position, entry.key,
                 "unknown key '" + entry.key + "'" +
                     common::did_you_mean(entry.key, documented, "", '\''));
}

Error TableReader::wrong_type(const Node& node, std::string_view key,
                              std::string_view expected) const {
    return error(node.position, key,
                 "expected " + std::string(expected) + ", got " + describe_kind(node.kind));
}

const Node* TableReader::find(std::string_view key) {
    mark_known(key);
    for (const auto& entry : m_table.table) {
        if (entry.key == key)
            return &entry.value;
    }
    return nullptr;
}

void TableReader::mark_known(std::string_view key) {
    m_known.emplace(key);
}

Result<Text> TableReader::text(const Node& node, std::string_view key) const {
    if (node.kind != Node::Kind::string)
        return wrong_type(node, key, "a string");
    // A variable's value is taken as it is: it was already expanded by whoever set it.
    if (is_environment_line(node.position))
        return Text{node.string, node.string, false, node.position};
    auto expanded = interpolate(node.string, m_context.env);
    if (!expanded.ok())
        return error(node.position, key, expanded.error().message);
    return Text{std::move(expanded->text), node.string, expanded->substituted, node.position};
}

Result<std::optional<Text>> TableReader::optional_string(std::string_view key) {
    const Node* node = find(key);
    if (node == nullptr)
        return std::optional<Text>{};
    WILDCERT_TRY(Text value, text(*node, key));
    return std::optional<Text>{std::move(value)};
}

Result<Text> TableReader::required_string(std::string_view key) {
    WILDCERT_TRY(std::optional<Text> value, optional_string(key));
    if (!value)
        return missing(key);
    return std::move(*value);
}

Result<std::optional<bool>> TableReader::optional_bool(std::string_view key) {
    const Node* node = find(key);
    if (node == nullptr)
        return std::optional<bool>{};
    if (node->kind != Node::Kind::boolean)
        return wrong_type(*node, key, "a boolean (true or false)");
    return std::optional<bool>{node->boolean};
}

Result<std::optional<std::int64_t>> TableReader::optional_integer(std::string_view key) {
    const Node* node = find(key);
    if (node == nullptr)
        return std::optional<std::int64_t>{};
    if (node->kind != Node::Kind::integer)
        return wrong_type(*node, key, "an integer");
    return std::optional<std::int64_t>{node->integer};
}

Result<std::optional<std::vector<Text>>> TableReader::optional_string_array(std::string_view key) {
    const Node* node = find(key);
    if (node == nullptr)
        return std::optional<std::vector<Text>>{};
    if (node->kind != Node::Kind::array)
        return wrong_type(*node, key, "an array of strings");
    std::vector<Text> values;
    for (std::size_t i = 0; i < node->array.size(); ++i) {
        WILDCERT_TRY(Text value, text(node->array[i], std::string(key) + element_suffix(i)));
        values.push_back(std::move(value));
    }
    return std::optional<std::vector<Text>>{std::move(values)};
}

Result<void> TableReader::reject_unknown() const {
    const std::string section = profile_section(m_path);
    for (const auto& entry : m_table.table) {
        const bool read = m_known.find(entry.key) != m_known.end();
        // Only documented keys count: a key a reader takes must be in profile_keys.cpp too.
        const bool documented =
            find_profile_key(section, entry.key, entry.value.kind == Node::Kind::table) != nullptr;
        if (read && documented)
            continue;
        if (read)
            return error(entry.key_position, entry.key,
                         "unknown key (read, but missing from the key table "
                         "src/config/profile_keys.cpp: a wildcert bug)");
        return unknown_key(entry);
    }
    return {};
}

void warn_if_readable_by_others(const LoadContext& context, Position position, std::string_view key,
                                const std::filesystem::path& path) {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0 || (info.st_mode & 077) == 0)
        return;
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(info.st_mode & 07777));
    const char* who = (info.st_mode & 007) != 0 ? "everyone" : "its group";
    context.warnings->push_back(origin(context, position) + ": " + std::string(key) + ": " +
                                path.string() + " holds a secret and is readable by " + who +
                                " (mode " + mode + "); make it 0600 (chmod 600)");
}

} // namespace wildcert::config
