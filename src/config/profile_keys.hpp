#pragma once
// Every key a profile may hold, declared once (profile_keys.cpp): TableReader::reject_unknown
// refuses a key that is not listed here even when a section reader asked for it, and the
// wildcert.toml(5) page is generated from this table. So a key cannot be added to a reader
// without its documentation.

#include <span>
#include <string>
#include <string_view>

namespace wildcert::config {

struct ProfileKey {
    // The table the key lives in, with array positions left out: "" (the root), "acme",
    // "acme.eab", "dns", "certificate", "certificate.output", "certificate.deploy".
    std::string_view section;
    // The key; one in angle brackets ("<provider>") stands for any key whose value is a table.
    std::string_view key;
    std::string_view type;          // as shown to people: "string", "array of strings", ...
    std::string_view default_value; // "" when the key has none (required, or off when absent)
    bool required = false;
    std::string_view description;
};

[[nodiscard]] std::span<const ProfileKey> profile_keys();

// "certificate[2].output[1]" -> "certificate.output": the section of a table's key path.
[[nodiscard]] std::string profile_section(std::string_view table_path);

// The entry for `key` of `section`, or nullptr. `is_table`: the value is a table, which
// placeholder keys ("<provider>") also match.
[[nodiscard]] const ProfileKey* find_profile_key(std::string_view section, std::string_view key,
                                                 bool is_table);

} // namespace wildcert::config
