#include "config/env_overlay.hpp"

#include "config/env_keys.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <optional>
#include <string_view>
#include <utility>

extern char** environ; // POSIX: the process environment, for the names of its variables

namespace wildcert::config {
namespace {

constexpr std::string_view k_prefix = "WILDCERT_";
constexpr std::string_view k_acme_prefix = "WILDCERT_ACME_";
constexpr std::string_view k_dns_prefix = "WILDCERT_DNS_";
constexpr std::string_view k_certificate_prefix = "WILDCERT_CERTIFICATE_";
constexpr std::string_view k_file_suffix = "_file";

bool is_profile_variable(std::string_view name) {
    return name.starts_with(k_acme_prefix) || name.starts_with(k_dns_prefix) ||
           name.starts_with(k_certificate_prefix);
}

Error variable_error(const EnvVariable& variable, std::string_view what) {
    return make_error(ErrorKind::profile,
                      "environment " + variable.name + ": " + std::string(what));
}

std::vector<std::string_view> split(std::string_view text, char separator) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
        const std::size_t end = text.find(separator, start);
        parts.push_back(text.substr(start, end - start));
        if (end == std::string_view::npos)
            return parts;
        start = end + 1;
    }
}

std::string_view trim(std::string_view text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos)
        return {};
    const auto last = text.find_last_not_of(" \t");
    return text.substr(first, last - first + 1);
}

std::optional<std::int64_t> parse_integer(std::string_view text) {
    std::int64_t number = 0;
    const auto* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, number);
    if (text.empty() || ec != std::errc() || ptr != end)
        return std::nullopt;
    return number;
}

Node string_node(std::string text, Position position) {
    Node node;
    node.kind = Node::Kind::string;
    node.string = std::move(text);
    node.position = position;
    return node;
}

// The variable's text as the node the file would hold for the key.
Result<Node> convert(const EnvVariable& variable, EnvValueType type, Position position) {
    Node node;
    node.position = position;
    switch (type) {
    case EnvValueType::string:
        return string_node(variable.value, position);
    case EnvValueType::duration: {
        const auto seconds = parse_integer(variable.value);
        if (!seconds)
            return string_node(variable.value, position);
        node.kind = Node::Kind::integer;
        node.integer = *seconds;
        return node;
    }
    case EnvValueType::integer: {
        const auto number = parse_integer(variable.value);
        if (!number)
            return variable_error(variable, "expected an integer");
        node.kind = Node::Kind::integer;
        node.integer = *number;
        return node;
    }
    case EnvValueType::boolean:
        if (variable.value != "true" && variable.value != "false")
            return variable_error(variable, "expected a boolean (true or false)");
        node.kind = Node::Kind::boolean;
        node.boolean = variable.value == "true";
        return node;
    case EnvValueType::string_array:
        node.kind = Node::Kind::array;
        for (const auto item : split(variable.value, ','))
            node.array.push_back(string_node(std::string(trim(item)), position));
        return node;
    }
    return variable_error(variable, "unknown value type");
}

const Node* find_entry(const Node& table, std::string_view key) {
    for (const auto& entry : table.table) {
        if (entry.key == key)
            return &entry.value;
    }
    return nullptr;
}

Node* find_entry(Node& table, std::string_view key) {
    return const_cast<Node*>(find_entry(std::as_const(table), key));
}

// The table at `path` below `root`, made (at `position`) where absent. nullptr when a value that is
// not a table is in the way: the section readers report that as they would without variables.
Node* table_at(Node& root, std::span<const std::string_view> path, Position position) {
    Node* table = &root;
    for (const auto key : path) {
        Node* child = find_entry(*table, key);
        if (child == nullptr) {
            Node made;
            made.kind = Node::Kind::table;
            made.position = position;
            table->table.push_back(Entry{std::string(key), std::move(made), position});
            child = &table->table.back().value;
        }
        if (child->kind != Node::Kind::table)
            return nullptr;
        table = child;
    }
    return table;
}

// "tsig_secret" <-> "tsig_secret_file": one setting written two ways.
std::string file_twin(std::string_view key) {
    if (key.size() > k_file_suffix.size() && key.ends_with(k_file_suffix))
        return std::string(key.substr(0, key.size() - k_file_suffix.size()));
    return std::string(key) + std::string(k_file_suffix);
}

void set_entry(Node& table, std::string_view key, Node value) {
    const std::string twin = file_twin(key);
    std::erase_if(table.table,
                  [&](const Entry& entry) { return entry.key == key || entry.key == twin; });
    const Position position = value.position;
    table.table.push_back(Entry{std::string(key), std::move(value), position});
}

// A string from the file as the reader will see it; nullopt when it is not one or does not
// expand (the reader reports that).
std::optional<std::string> expanded_string(const Node* node, const EnvLookup& lookup) {
    if (node == nullptr || node->kind != Node::Kind::string)
        return std::nullopt;
    if (is_environment_line(node->position))
        return node->string;
    auto expanded = interpolate(node->string, lookup);
    if (!expanded.ok())
        return std::nullopt;
    return std::move(expanded->text);
}

// "TSIG_SECRET" -> "tsig_secret"; nullopt when the text cannot be a key's spelling.
std::optional<std::string> provider_key(std::string_view text) {
    if (text.empty())
        return std::nullopt;
    std::string key;
    for (const char c : text) {
        if (c >= 'A' && c <= 'Z')
            key.push_back(static_cast<char>(c - 'A' + 'a'));
        else if ((c >= '0' && c <= '9') || c == '_')
            key.push_back(c);
        else
            return std::nullopt;
    }
    return key;
}

std::string variable_list(std::string_view prefix, std::span<const EnvKey> keys) {
    std::string list;
    for (const auto& key : keys) {
        const std::string name = std::string(k_prefix) + env_name_part(key.path);
        if (name.starts_with(prefix))
            list += (list.empty() ? "" : ", ") + name;
    }
    return list;
}

class Overlay {
public:
    Overlay(Node& document, std::span<const EnvVariable> variables, const EnvLookup& lookup,
            std::vector<std::string>& applied)
        : m_document(document), m_variables(variables), m_lookup(lookup), m_applied(applied),
          m_claimed(variables.size(), false) {}

    Result<void> apply() {
        WILDCERT_CHECK(apply_section_keys());
        WILDCERT_CHECK(apply_provider_keys());
        WILDCERT_CHECK(apply_certificate_keys());
        return reject_unclaimed();
    }

private:
    Node& m_document;
    std::span<const EnvVariable> m_variables;
    const EnvLookup& m_lookup;
    std::vector<std::string>& m_applied;
    std::vector<bool> m_claimed;
    std::optional<std::string> m_provider; // dns.provider once the variables are in

    Position position_for(const EnvVariable& variable) {
        m_applied.push_back(variable.name);
        return {k_environment_line + static_cast<std::uint32_t>(m_applied.size() - 1), 0};
    }

    // Sets the key at the end of `path` below `root` from variables[index].
    Result<void> set(Node& root, std::vector<std::string_view> path, EnvValueType type,
                     std::size_t index) {
        m_claimed[index] = true;
        const EnvVariable& variable = m_variables[index];
        const Position position = position_for(variable);
        WILDCERT_TRY(Node value, convert(variable, type, position));
        const std::string_view key = path.back();
        path.pop_back();
        if (Node* table = table_at(root, path, position))
            set_entry(*table, key, std::move(value));
        return {};
    }

    Result<void> apply_section_keys() {
        for (std::size_t i = 0; i < m_variables.size(); ++i) {
            for (const auto& key : section_env_keys()) {
                if (m_variables[i].name == std::string(k_prefix) + env_name_part(key.path)) {
                    WILDCERT_CHECK(set(m_document, split(key.path, '.'), key.type, i));
                    break;
                }
            }
        }
        const Node* dns = find_entry(std::as_const(m_document), "dns");
        if (dns != nullptr && dns->kind == Node::Kind::table)
            m_provider = expanded_string(find_entry(*dns, "provider"), m_lookup);
        return {};
    }

    // WILDCERT_DNS_<PROVIDER>_<KEY>: the key is passed on as text; the provider's descriptor
    // knows its type and whether it exists.
    Result<void> apply_provider_keys() {
        if (!m_provider || m_provider->empty())
            return {};
        const std::string prefix = std::string(k_dns_prefix) + env_name_part(*m_provider) + "_";
        for (std::size_t i = 0; i < m_variables.size(); ++i) {
            const std::string& name = m_variables[i].name;
            if (m_claimed[i] || !name.starts_with(prefix))
                continue;
            const auto key = provider_key(std::string_view(name).substr(prefix.size()));
            if (!key)
                continue; // left for reject_unclaimed
            WILDCERT_CHECK(set(m_document, {"dns", *m_provider, *key}, EnvValueType::string, i));
        }
        return {};
    }

    struct CertificateMatch {
        std::size_t certificate; // index in the [[certificate]] array
        const EnvKey* key;
    };

    std::vector<std::string> certificate_names() const {
        std::vector<std::string> names;
        const Node* certificates = find_entry(std::as_const(m_document), "certificate");
        if (certificates == nullptr || certificates->kind != Node::Kind::array)
            return names;
        for (const Node& element : certificates->array) {
            std::optional<std::string> name;
            if (element.kind == Node::Kind::table)
                name = expanded_string(find_entry(element, "name"), m_lookup);
            names.push_back(name.value_or(""));
        }
        return names;
    }

    std::vector<CertificateMatch> certificate_matches(const std::string& variable,
                                                      const std::vector<std::string>& names) const {
        std::vector<CertificateMatch> matches;
        for (std::size_t c = 0; c < names.size(); ++c) {
            if (names[c].empty())
                continue;
            const std::string prefix =
                std::string(k_certificate_prefix) + env_name_part(names[c]) + "_";
            if (!variable.starts_with(prefix))
                continue;
            for (const auto& key : certificate_env_keys()) {
                if (variable.substr(prefix.size()) == env_name_part(key.path))
                    matches.push_back(CertificateMatch{c, &key});
            }
        }
        return matches;
    }

    // WILDCERT_CERTIFICATE_<NAME>_<KEY>. Names are matched after upper-casing, so two
    // certificates ("a.b" and "a-b", or "a" and "a_key" with keys "key_x"/"x") can share a
    // variable: that is an error rather than a guess.
    Result<void> apply_certificate_keys() {
        const std::vector<std::string> names = certificate_names();
        for (std::size_t i = 0; i < m_variables.size(); ++i) {
            const EnvVariable& variable = m_variables[i];
            if (m_claimed[i] || !variable.name.starts_with(k_certificate_prefix))
                continue;
            const auto matches = certificate_matches(variable.name, names);
            if (matches.empty())
                continue;
            if (matches.size() > 1) {
                std::string which;
                for (const auto& match : matches)
                    which += std::string(which.empty() ? "" : " and ") + "the " +
                             std::string(match.key->path) + " of certificate \"" +
                             names[match.certificate] + "\"";
                return variable_error(variable, "could mean " + which +
                                                    "; rename a certificate to tell them apart");
            }
            Node& element = find_entry(m_document, "certificate")->array[matches[0].certificate];
            WILDCERT_CHECK(set(element, {matches[0].key->path}, matches[0].key->type, i));
        }
        return {};
    }

    std::string known_variables(const EnvVariable& variable) const {
        if (variable.name.starts_with(k_acme_prefix))
            return variable_list(k_acme_prefix, section_env_keys());
        if (variable.name.starts_with(k_dns_prefix)) {
            std::string list = variable_list(k_dns_prefix, section_env_keys());
            if (m_provider && !m_provider->empty())
                list += ", and " + std::string(k_dns_prefix) + env_name_part(*m_provider) +
                        "_<KEY> for a key of [dns." + *m_provider + "]";
            return list;
        }
        std::string names;
        for (const auto& name : certificate_names()) {
            if (!name.empty())
                names += (names.empty() ? "" : ", ") + env_name_part(name);
        }
        std::string keys;
        for (const auto& key : certificate_env_keys())
            keys += (keys.empty() ? "" : ", ") + env_name_part(key.path);
        return std::string(k_certificate_prefix) + "<NAME>_<KEY> with NAME one of " +
               (names.empty() ? "(no [[certificate]])" : names) + " and KEY one of " + keys +
               "; a [[certificate]] itself, its output, deploy and challenge_aliases tables "
               "cannot come from the environment";
    }

    // Like an unknown key in the file: a misspelt variable is a setting the user believes is
    // in effect.
    Result<void> reject_unclaimed() const {
        for (std::size_t i = 0; i < m_variables.size(); ++i) {
            if (m_claimed[i])
                continue;
            return variable_error(m_variables[i], "matches no profile key (expected " +
                                                      known_variables(m_variables[i]) + ")");
        }
        return {};
    }
};

} // namespace

std::vector<std::string> process_environment_names() {
    std::vector<std::string> names;
    for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
        const std::string_view text(*entry);
        names.emplace_back(text.substr(0, text.find('=')));
    }
    return names;
}

std::vector<EnvVariable> profile_variables(const EnvLookup& lookup, const EnvNames& names) {
    std::vector<EnvVariable> variables;
    if (!names)
        return variables;
    for (auto& name : names()) {
        if (!is_profile_variable(name))
            continue;
        auto value = lookup(name);
        if (value && !value->empty())
            variables.push_back(EnvVariable{std::move(name), std::move(*value)});
    }
    std::sort(variables.begin(), variables.end(),
              [](const EnvVariable& a, const EnvVariable& b) { return a.name < b.name; });
    variables.erase(
        std::unique(variables.begin(), variables.end(),
                    [](const EnvVariable& a, const EnvVariable& b) { return a.name == b.name; }),
        variables.end());
    return variables;
}

Result<void> apply_environment(Node& document, std::span<const EnvVariable> variables,
                               const EnvLookup& lookup, std::vector<std::string>& applied) {
    Overlay overlay(document, variables, lookup, applied);
    return overlay.apply();
}

} // namespace wildcert::config
