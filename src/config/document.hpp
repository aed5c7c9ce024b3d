#pragma once
// A parsed TOML file as a plain tree of our own types. toml11 stays inside document.cpp; the
// rest of src/config reads this tree, which keeps every key's line and column for error
// messages.

#include <wildcert/result.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace wildcert::config {

struct Entry;

// Values set from WILDCERT_* variables (env_overlay.hpp) carry a line at or above this one, far
// beyond any real profile; LoadContext::environment maps it back to the variable's name, so
// that every reader's errors name the variable instead of a line of the file.
inline constexpr std::uint32_t k_environment_line = 0x8000'0000;

// Where a value starts in its file, both from 1. Column 0 means "the whole line": a table
// made for a WILDCERT_* variable, or the root.
struct Position {
    std::uint32_t line = 1;
    std::uint32_t column = 0;
    friend auto operator<=>(const Position&, const Position&) = default;
};

[[nodiscard]] inline bool is_environment_line(Position position) {
    return position.line >= k_environment_line;
}

struct Node {
    // Dates and times are kept only as a kind: no profile key takes one.
    enum class Kind { string, integer, floating, boolean, datetime, array, table };

    Kind kind = Kind::table;
    // For a table: its header (line 1 for the root); for an array of tables: the first header.
    Position position;
    std::string string;
    std::int64_t integer = 0;
    bool boolean = false;
    std::vector<Node> array;
    std::vector<Entry> table; // in file order (by line)
};

struct Entry {
    std::string key;
    Node value;
    // Where the key is written, which "unknown key" errors point at; for keys that are not
    // written as `key = value` (table headers, WILDCERT_* variables), the value's position.
    Position key_position;
};

// "a string", "an integer", ... for "expected X, got Y" messages.
[[nodiscard]] const char* describe_kind(Node::Kind kind);

// Reads and parses `path`. `display_name` is how the file is named in messages. Syntax errors
// are ErrorKind::profile and name the file and line.
[[nodiscard]] Result<Node> parse_document(const std::filesystem::path& path,
                                          const std::string& display_name);

// Parses TOML text that did not come from a file (tests, a future stdin mode). A large
// profile is parsed in parts side by side (document_split.hpp).
[[nodiscard]] Result<Node> parse_document_text(std::string_view text,
                                               const std::string& display_name);
// The same, always in one piece: what the split must give exactly (tests compare the two).
[[nodiscard]] Result<Node> parse_document_whole(std::string_view text,
                                                const std::string& display_name);

} // namespace wildcert::config
