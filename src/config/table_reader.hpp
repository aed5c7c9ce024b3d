#pragma once
// Typed, located access to one table of a parsed profile. Every error it makes has the form
// "<file>:<line>:<column>: <dotted.key>: <what is wrong>[; did you mean '<key>'?]". Array positions
// in keys count from 1
// ("certificate[1]" is the first [[certificate]]) because they are read by people.

#include "config/document.hpp"
#include "config/interpolate.hpp"

#include <wildcert/result.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace wildcert::config {

// What every section reader needs to know about the file being loaded.
struct LoadContext {
    std::string file;             // the profile as named in messages
    std::filesystem::path folder; // relative paths in the profile are taken from here
    EnvLookup env;
    // The WILDCERT_* variables applied to the document: a node's line k_environment_line + i
    // came from environment[i].
    std::vector<std::string> environment;
    // Warnings for the profile's reader (Profile::warnings), e.g. a secret file others may
    // read; shared so that readers holding a const context can add to it.
    std::shared_ptr<std::vector<std::string>> warnings =
        std::make_shared<std::vector<std::string>>();
};

// Adds a warning when the secret file at `path` may be read by its group or by others
// (mode & 077): "file:line: key: <path> is readable by ... (mode 0644); make it 0600".
void warn_if_readable_by_others(const LoadContext& context, Position position, std::string_view key,
                                const std::filesystem::path& path);

// Where a value comes from, for messages and origins: "<file>:<line>:<column>" (no column when
// it is not known) or "environment WILDCERT_DNS_TTL".
[[nodiscard]] std::string origin(const LoadContext& context, Position position);

[[nodiscard]] Error profile_error(const LoadContext& context, Position position,
                                  std::string_view key, std::string_view what);

// `value` as an error message may quote it: not at all when it came from a WILDCERT_*
// variable (a line at or above k_environment_line).
[[nodiscard]] std::string shown_value(Position position, std::string_view value);

// A string value after ${VAR} interpolation, with what is needed to report it.
struct Text {
    std::string value;
    std::string raw; // as written in the profile
    bool interpolated = false;
    Position position; // a line at or above k_environment_line: from a WILDCERT_* variable

    // The text to quote in an error message. Values from the environment are never echoed
    // (they may be secrets): an interpolated one is shown in its raw "${VAR}" spelling, one
    // from a WILDCERT_* variable not at all (the error's origin names the variable).
    [[nodiscard]] std::string shown() const;
};

class TableReader {
public:
    // `path` is the table's dotted key ("acme", "certificate[2]"); "" for the root.
    TableReader(const LoadContext& context, const Node& table, std::string path);

    [[nodiscard]] const LoadContext& context() const { return m_context; }
    [[nodiscard]] Position position() const { return m_table.position; }
    [[nodiscard]] const std::vector<Entry>& entries() const { return m_table.table; }
    [[nodiscard]] std::string key_path(std::string_view key) const;

    // An error about `key` of this table, reported at `position`.
    [[nodiscard]] Error error(Position position, std::string_view key, std::string_view what) const;
    // A required key is absent: reported at the table's header, unless the table has an
    // unknown key that is a misspelling of it ("domain" for "domains"): that one is reported.
    [[nodiscard]] Error missing(std::string_view key) const;
    [[nodiscard]] Error wrong_type(const Node& node, std::string_view key,
                                   std::string_view expected) const;
    // "unknown key 'x'", with the documented key of this section it most likely stands for.
    [[nodiscard]] Error unknown_key(const Entry& entry) const;

    // Returns the value of `key` or nullptr, and marks the key as known either way.
    [[nodiscard]] const Node* find(std::string_view key);
    // Marks a key as handled without reading it through this class.
    void mark_known(std::string_view key);

    [[nodiscard]] Result<std::optional<Text>> optional_string(std::string_view key);
    [[nodiscard]] Result<Text> required_string(std::string_view key);
    [[nodiscard]] Result<std::optional<bool>> optional_bool(std::string_view key);
    [[nodiscard]] Result<std::optional<std::int64_t>> optional_integer(std::string_view key);
    [[nodiscard]] Result<std::optional<std::vector<Text>>>
    optional_string_array(std::string_view key);

    // Interpolates a string node; `key` names it in errors (relative to this table).
    [[nodiscard]] Result<Text> text(const Node& node, std::string_view key) const;

    // The first key (in file order) that no reader asked for is an error.
    [[nodiscard]] Result<void> reject_unknown() const;

private:
    const LoadContext& m_context;
    const Node& m_table;
    std::string m_path;
    std::set<std::string, std::less<>> m_known;
};

// "[3]" style suffix for the element at zero-based `index` (shown from 1).
[[nodiscard]] std::string element_suffix(std::size_t index);

} // namespace wildcert::config
