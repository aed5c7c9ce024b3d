#include "config/sections.hpp"

#include "config/domain_name.hpp"

#include <algorithm>
#include <map>
#include <utility>

namespace wildcert::config {
namespace {

constexpr std::string_view k_section = "certificate";

// The name becomes a folder under live/ and archive/: no separators, no "." or "..".
bool is_certificate_name(std::string_view name) {
    if (name.empty() || name == "." || name == "..")
        return false;
    for (const char c : name) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
        if (!ok)
            return false;
    }
    return true;
}

Result<std::vector<std::string>> read_domains(TableReader& table) {
    WILDCERT_TRY(const auto texts, table.optional_string_array("domains"));
    if (!texts)
        return table.missing("domains");
    if (texts->empty())
        return table.error(table.find("domains")->position, "domains",
                           "must list at least one name");
    std::vector<std::string> domains;
    std::map<std::string, Position> seen; // name -> where, to point at the first one
    for (std::size_t i = 0; i < texts->size(); ++i) {
        const Text& text = (*texts)[i];
        const std::string key = "domains" + element_suffix(i);
        auto normalized = normalize_certificate_domain(text.value);
        if (!normalized.ok())
            return table.error(text.position, key,
                               text.shown() + ": " + normalized.error().message);
        const auto [it, inserted] = seen.emplace(*normalized, text.position);
        if (!inserted) {
            const std::string first =
                is_environment_line(it->second)
                    ? std::string()
                    : " (first on line " + std::to_string(it->second.line) + ")";
            return table.error(text.position, key, text.shown() + " is listed twice" + first);
        }
        domains.push_back(std::move(normalized).value());
    }
    return domains;
}

// An owner name that takes TXT records: a plain host name (no wildcard), made absolute.
Result<std::string> alias_owner(const TableReader& table, const Text& text,
                                const std::string& key) {
    auto normalized = normalize_domain(text.value);
    if (!normalized.ok())
        return table.error(text.position, key, text.shown() + ": " + normalized.error().message);
    if (normalized->starts_with("*."))
        return table.error(text.position, key,
                           text.shown() + ": a wildcard cannot hold TXT records");
    return *normalized + ".";
}

Result<std::string> read_challenge_alias(TableReader& table) {
    WILDCERT_TRY(const std::optional<Text> text, table.optional_string("challenge_alias"));
    if (!text)
        return std::string();
    return alias_owner(table, *text, "challenge_alias");
}

// challenge_aliases = { "<domain of this certificate>" = "<owner name>" }
Result<std::map<std::string, std::string>>
read_challenge_aliases(TableReader& table, const std::vector<std::string>& domains) {
    std::map<std::string, std::string> aliases;
    const Node* node = table.find("challenge_aliases");
    if (node == nullptr)
        return aliases;
    if (node->kind != Node::Kind::table)
        return table.wrong_type(*node, "challenge_aliases", "a table of domain = \"owner name\"");
    TableReader entries(table.context(), *node, table.key_path("challenge_aliases"));
    for (const auto& entry : entries.entries()) {
        WILDCERT_TRY(const Text target, entries.text(entry.value, entry.key));
        auto domain = normalize_domain(entry.key);
        if (!domain.ok())
            return entries.error(target.position, entry.key, domain.error().message);
        if (std::find(domains.begin(), domains.end(), *domain) == domains.end())
            return entries.error(target.position, entry.key,
                                 "is not one of this certificate's domains");
        const std::string base = domain->starts_with("*.") ? domain->substr(2) : *domain;
        WILDCERT_TRY(auto owner, alias_owner(entries, target, entry.key));
        const auto [it, inserted] = aliases.emplace(base, owner);
        if (!inserted && it->second != owner)
            return entries.error(target.position, entry.key,
                                 "*." + base + " and " + base +
                                     " share one validation name and so one alias");
    }
    return aliases;
}

// preferred_chain and profile: optional, but never empty or blank, and printable.
Result<std::string> read_name_key(TableReader& table, std::string_view key,
                                  std::string_view when_empty) {
    WILDCERT_TRY(const std::optional<Text> text, table.optional_string(key));
    if (!text)
        return std::string();
    if (text->value.find_first_not_of(" \t") == std::string::npos)
        return table.error(text->position, std::string(key),
                           "must not be empty (" + std::string(when_empty) + ")");
    for (const char c : text->value) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
            return table.error(text->position, std::string(key), "contains a control character");
    }
    return text->value;
}

Result<CertificateSettings> read_certificate(TableReader& table) {
    CertificateSettings settings;
    settings.origin = origin(table.context(), table.position());
    WILDCERT_TRY(const Text name, table.required_string("name"));
    if (!is_certificate_name(name.value)) {
        return table.error(name.position, "name",
                           name.shown() +
                               " is not a valid name (letters, digits, '.', '_' and '-'; not "
                               "\".\" or \"..\")");
    }
    // The state directory's stale-file sweep (src/store/stale_files.hpp) owns these names.
    if (name.value.find(".tmp-") != std::string::npos) {
        return table.error(name.position, "name",
                           name.shown() + ": \".tmp-\" is reserved for wildcert's temporary files");
    }
    settings.name = name.value;
    WILDCERT_TRY(settings.domains, read_domains(table));
    WILDCERT_TRY(const std::optional<Text> key, table.optional_string("key"));
    if (key) {
        WILDCERT_TRY(settings.key, read_key_type(table, *key, "key"));
    }
    WILDCERT_TRY(const std::optional<bool> reuse_key, table.optional_bool("reuse_key"));
    settings.reuse_key = reuse_key.value_or(false);
    WILDCERT_TRY(settings.challenge_alias, read_challenge_alias(table));
    WILDCERT_TRY(settings.challenge_aliases, read_challenge_aliases(table, settings.domains));
    WILDCERT_TRY(settings.preferred_chain,
                 read_name_key(table, "preferred_chain",
                               "leave the key out to take the CA's default chain"));
    WILDCERT_TRY(settings.profile,
                 read_name_key(table, "profile", "leave the key out to take the CA's default"));
    WILDCERT_TRY(settings.renew_before, read_renew_before(table));
    WILDCERT_TRY(settings.outputs, read_output_tables(table));
    WILDCERT_TRY(settings.deploy, read_deploy_tables(table));
    WILDCERT_CHECK(table.reject_unknown());
    return settings;
}

} // namespace

Result<std::vector<CertificateSettings>> read_certificate_sections(const TableReader& root,
                                                                   const Node& certificates) {
    if (certificates.kind != Node::Kind::array)
        return root.wrong_type(certificates, k_section, "an array of tables ([[certificate]])");
    if (certificates.array.empty())
        return root.error(certificates.position, k_section,
                          "at least one [[certificate]] is needed");

    std::vector<CertificateSettings> result;
    std::map<std::string, std::string> names; // name -> key path of its first use
    for (std::size_t i = 0; i < certificates.array.size(); ++i) {
        const Node& node = certificates.array[i];
        const std::string path = std::string(k_section) + element_suffix(i);
        if (node.kind != Node::Kind::table)
            return root.wrong_type(node, path, "a table ([[certificate]])");
        TableReader table(root.context(), node, path);
        WILDCERT_TRY(CertificateSettings settings, read_certificate(table));
        const auto [it, inserted] = names.emplace(settings.name, path);
        if (!inserted) {
            const Node& name = *table.find("name");
            WILDCERT_TRY(const Text text, table.text(name, "name"));
            return table.error(name.position, "name",
                               text.shown() + " is already the name of " + it->second);
        }
        result.push_back(std::move(settings));
    }
    WILDCERT_CHECK(check_output_paths(root, certificates, result));
    return result;
}

} // namespace wildcert::config
