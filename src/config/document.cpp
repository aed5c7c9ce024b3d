#include "config/document.hpp"

#include "common/parallel_for.hpp"
#include "config/document_split.hpp"
#include "config/small_file.hpp"
#include "config/toml_limits.hpp"

#include <toml.hpp>

#include <algorithm>
#include <cctype>
#include <exception>
#include <iterator>
#include <memory>
#include <optional>
#include <sstream>
#include <tuple>

namespace wildcert::config {
namespace {

// A profile is a few kilobytes; this only stops a wrong path from being slurped.
constexpr std::size_t k_max_profile_bytes = 1024 * 1024;

// Line and column of a value from its offset in the source. toml11's own location() counts
// the newlines from the top of the file for every value it is asked about, which made a
// profile of a thousand certificates take most of a second to load; this index makes each
// lookup a binary search. toml11 keeps no position for keys, so the key of `key = value` is
// found by reading back from the value.
class LineIndex {
public:
    explicit LineIndex(std::string_view text) : m_text(text) {
        auto newlines = std::make_shared<std::vector<std::size_t>>();
        for (std::size_t i = 0; i < text.size(); ++i) {
            if (text[i] == '\n')
                newlines->push_back(i);
        }
        m_newlines = std::move(newlines);
    }

    // The same index for values that toml11 parsed from text.substr(base) (a part of a split
    // profile, document_split.hpp): their offsets count from there.
    [[nodiscard]] LineIndex from(std::size_t base) const {
        LineIndex part = *this;
        part.m_base = base;
        return part;
    }

    // {1, 0} when toml11 kept no source region for the value.
    [[nodiscard]] Position position(const toml::value& value) const {
        const auto offset = offset_of(value);
        if (!offset)
            return {1, 0};
        return position_at(*offset);
    }

    // A table's position is its header's "[" when it has one (column 1 unless indented).
    [[nodiscard]] Position table_position(const toml::value& value) const {
        const auto offset = offset_of(value);
        if (!offset)
            return {1, 0};
        const std::size_t start = line_start(*offset);
        const std::size_t first = m_text.find_first_not_of(" \t", start);
        if (first != std::string_view::npos && first < *offset && m_text[first] == '[')
            return position_at(first);
        return position_at(*offset);
    }

    // Where the key of `key = value` starts, for the value at `value`; `value` itself when
    // the text before it is not `key =` (an array element, a table header).
    [[nodiscard]] Position key_position(const toml::value& value, Position fallback) const {
        const auto offset = offset_of(value);
        if (!offset)
            return fallback;
        const std::size_t start = line_start(*offset);
        std::size_t at = *offset;
        const auto skip_blanks = [&] {
            while (at > start && (m_text[at - 1] == ' ' || m_text[at - 1] == '\t'))
                --at;
        };
        skip_blanks();
        if (at == start || m_text[at - 1] != '=')
            return fallback;
        --at;
        skip_blanks();
        if (at == start)
            return fallback;
        if (const char quote = m_text[at - 1]; quote == '"' || quote == '\'') {
            const std::size_t open = m_text.rfind(quote, at - 2);
            if (at < 2 || open == std::string_view::npos || open < start)
                return fallback;
            return position_at(open);
        }
        const auto bare = [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-';
        };
        const std::size_t end = at;
        while (at > start && bare(m_text[at - 1]))
            --at;
        return at == end ? fallback : position_at(at);
    }

private:
    std::string_view m_text;
    std::shared_ptr<const std::vector<std::size_t>> m_newlines; // shared by the parts' copies
    std::size_t m_base = 0;

    [[nodiscard]] std::optional<std::size_t> offset_of(const toml::value& value) const {
        const auto* region =
            dynamic_cast<const toml::detail::region*>(toml::detail::get_region(value));
        if (region == nullptr || !region->is_ok())
            return std::nullopt;
        return m_base + static_cast<std::size_t>(std::distance(region->begin(), region->first()));
    }

    [[nodiscard]] std::size_t line_start(std::size_t offset) const {
        const auto before = std::lower_bound(m_newlines->begin(), m_newlines->end(), offset);
        return before == m_newlines->begin() ? 0 : *(before - 1) + 1;
    }

    [[nodiscard]] Position position_at(std::size_t offset) const {
        const auto before = std::lower_bound(m_newlines->begin(), m_newlines->end(), offset);
        const auto line = static_cast<std::uint32_t>(before - m_newlines->begin()) + 1;
        return {line, static_cast<std::uint32_t>(offset - line_start(offset)) + 1};
    }
};

Node convert(const toml::value& value, const LineIndex& lines);

Node convert_table(const toml::value& value, const LineIndex& lines) {
    std::vector<Entry> entries;
    for (const auto& [key, child] : value.as_table()) {
        Node node = convert(child, lines);
        const Position key_position = lines.key_position(child, node.position);
        entries.push_back(Entry{key, std::move(node), key_position});
    }
    // toml11 keeps tables unordered; sorting by position makes "the first error" the one
    // nearest the top of the file, and keeps messages stable from run to run.
    std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
        return std::tie(a.value.position, a.key) < std::tie(b.value.position, b.key);
    });
    Node node;
    node.kind = Node::Kind::table;
    node.table = std::move(entries);
    return node;
}

Node convert(const toml::value& value, const LineIndex& lines) {
    Node node;
    switch (value.type()) {
    case toml::value_t::table:
        node = convert_table(value, lines);
        break;
    case toml::value_t::array:
        node.kind = Node::Kind::array;
        for (const auto& element : value.as_array())
            node.array.push_back(convert(element, lines));
        break;
    case toml::value_t::string:
        node.kind = Node::Kind::string;
        node.string = value.as_string().str;
        break;
    case toml::value_t::integer:
        node.kind = Node::Kind::integer;
        node.integer = value.as_integer();
        break;
    case toml::value_t::floating:
        node.kind = Node::Kind::floating;
        break;
    case toml::value_t::boolean:
        node.kind = Node::Kind::boolean;
        node.boolean = value.as_boolean();
        break;
    case toml::value_t::offset_datetime:
    case toml::value_t::local_datetime:
    case toml::value_t::local_date:
    case toml::value_t::local_time:
    case toml::value_t::empty:
        node.kind = Node::Kind::datetime;
        break;
    }
    node.position =
        node.kind == Node::Kind::table ? lines.table_position(value) : lines.position(value);
    return node;
}

// toml11's message is "[error] toml::function: what\n --> file\n 2 | source line\n | ^--- note".
// We keep the description and the notes but drop the quoted source lines: a typo on a line
// that holds an inline secret would otherwise print the secret to a CI log.
std::string clean_syntax_message(const std::string& raw) {
    std::istringstream lines(raw);
    std::string line;
    std::getline(lines, line);
    const std::string tag = "[error] ";
    if (line.rfind(tag, 0) == 0)
        line.erase(0, tag.size());
    if (line.rfind("toml::", 0) == 0) {
        const auto colon = line.find(": ");
        line = colon == std::string::npos ? std::string("invalid syntax") : line.substr(colon + 2);
    }
    std::string message = line;
    while (std::getline(lines, line)) {
        const auto first = line.find_first_not_of(' ');
        if (first == std::string::npos || line[first] != '|')
            continue; // " --> file", " 2 | source", " ..."
        const auto note = line.find_first_not_of(" ^~-", first + 1);
        if (note == std::string::npos || line.compare(note, std::string::npos, "here") == 0)
            continue;
        if (!message.empty() && message.back() == '.')
            message.pop_back();
        message += "; " + line.substr(note);
    }
    return message;
}

} // namespace

const char* describe_kind(Node::Kind kind) {
    switch (kind) {
    case Node::Kind::string:
        return "a string";
    case Node::Kind::integer:
        return "an integer";
    case Node::Kind::floating:
        return "a float";
    case Node::Kind::boolean:
        return "a boolean";
    case Node::Kind::datetime:
        return "a date/time";
    case Node::Kind::array:
        return "an array";
    case Node::Kind::table:
        return "a table";
    }
    return "an unknown value";
}

namespace {

// The whole text at once: every small profile, and any profile whose parts did not all parse
// (so that its errors are the ones a whole parse gives).
Result<Node> parse_whole(std::string_view text, const std::string& display_name) {
    try {
        std::istringstream stream{std::string(text)};
        // toml11 copies the name it is given into every value it parses (a heap allocation
        // each when the name is longer than the 15 characters std::string keeps inline: a
        // fifth of a 1000-certificate profile's parse). Its messages are rebuilt below with
        // display_name, so it gets a short one.
        const toml::value root = toml::parse(stream, "profile");
        Node node = convert(root, LineIndex(text));
        node.position = {1, 0}; // the root has no header; a missing table belongs at line 1
        return node;
    } catch (const toml::syntax_error& e) {
        return make_error(ErrorKind::profile,
                          display_name + ":" + std::to_string(e.location().line()) + ":" +
                              std::to_string(e.location().column()) +
                              ": TOML syntax error: " + clean_syntax_message(e.what()));
    } catch (const std::exception& e) {
        return make_error(ErrorKind::profile,
                          display_name + ": cannot parse as TOML: " + std::string(e.what()));
    }
}

// One part of a split profile as a tree, positions counted in the whole text; nullopt when
// toml11 refuses it (the whole text is then parsed again for the error).
std::optional<Node> parse_part(std::string_view part, const LineIndex& lines) {
    try {
        std::istringstream stream{std::string(part)};
        return convert(toml::parse(stream, "profile"), lines);
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

Entry* find_entry(Node& table, std::string_view key) {
    const auto found = std::find_if(table.table.begin(), table.table.end(),
                                    [&](const Entry& entry) { return entry.key == key; });
    return found == table.table.end() ? nullptr : &*found;
}

// The parts of document_split.hpp parsed side by side and joined: the first is a profile of
// its own, each later one only adds [[certificate]] tables. nullopt when a part does not
// parse or is not what the split promised.
std::optional<Node> parse_split(std::string_view text, const std::vector<std::size_t>& points) {
    const LineIndex lines(text);
    std::vector<std::size_t> starts{0};
    starts.insert(starts.end(), points.begin(), points.end());
    std::vector<std::optional<Node>> parts(starts.size());
    parallel_for(starts.size(), starts.size(), [&](std::size_t i) {
        const std::size_t end = i + 1 < starts.size() ? starts[i + 1] : text.size();
        parts[i] = parse_part(text.substr(starts[i], end - starts[i]), lines.from(starts[i]));
    });
    if (!parts[0])
        return std::nullopt;
    Node& root = *parts[0];
    Entry* certificates = find_entry(root, "certificate");
    if (certificates == nullptr || certificates->value.kind != Node::Kind::array)
        return std::nullopt;
    for (std::size_t i = 1; i < parts.size(); ++i) {
        if (!parts[i] || parts[i]->table.size() != 1)
            return std::nullopt;
        Entry& more = parts[i]->table.front();
        if (more.key != "certificate" || more.value.kind != Node::Kind::array)
            return std::nullopt;
        auto& all = certificates->value.array;
        all.insert(all.end(), std::make_move_iterator(more.value.array.begin()),
                   std::make_move_iterator(more.value.array.end()));
    }
    root.position = {1, 0};
    return std::move(root);
}

} // namespace

Result<Node> parse_document_text(std::string_view text, const std::string& display_name) {
    // Before toml11 sees the text: its recursive descent would overflow the stack on deep
    // nesting rather than fail (toml_limits.hpp).
    WILDCERT_CHECK(check_toml_limits(text, display_name));
    if (const auto points = certificate_split_points(text, core_threads()); !points.empty()) {
        if (auto joined = parse_split(text, points))
            return std::move(*joined);
    }
    return parse_whole(text, display_name);
}

Result<Node> parse_document_whole(std::string_view text, const std::string& display_name) {
    WILDCERT_CHECK(check_toml_limits(text, display_name));
    return parse_whole(text, display_name);
}

Result<Node> parse_document(const std::filesystem::path& path, const std::string& display_name) {
    auto text = read_small_file(path, k_max_profile_bytes);
    if (!text.ok())
        return make_error(ErrorKind::profile,
                          display_name + ": cannot read the profile: " + text.error().message);
    return parse_document_text(*text, display_name);
}

} // namespace wildcert::config
