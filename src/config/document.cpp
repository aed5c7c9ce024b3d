#include "config/document.hpp"

#include "config/small_file.hpp"
#include "config/toml_limits.hpp"

#include <toml.hpp>

#include <algorithm>
#include <exception>
#include <sstream>
#include <tuple>

namespace wildcert::config {
namespace {

// A profile is a few kilobytes; this only stops a wrong path from being slurped.
constexpr std::size_t k_max_profile_bytes = 1024 * 1024;

struct Located {
    Entry entry;
    std::uint32_t column;
};

// Line and column of a value from its offset in the source. toml11's own location() counts
// the newlines from the top of the file for every value it is asked about, which made a
// profile of a thousand certificates take most of a second to load; this index makes each
// lookup a binary search.
class LineIndex {
public:
    explicit LineIndex(std::string_view text) {
        for (std::size_t i = 0; i < text.size(); ++i) {
            if (text[i] == '\n')
                m_newlines.push_back(i);
        }
    }

    // {line, column}, both from 1; {1, 1} when toml11 kept no source region for the value.
    [[nodiscard]] std::pair<std::uint32_t, std::uint32_t> position(const toml::value& value) const {
        const auto* region =
            dynamic_cast<const toml::detail::region*>(toml::detail::get_region(value));
        if (region == nullptr || !region->is_ok())
            return {1, 1};
        const auto offset =
            static_cast<std::size_t>(std::distance(region->begin(), region->first()));
        const auto before = std::lower_bound(m_newlines.begin(), m_newlines.end(), offset);
        const auto line = static_cast<std::uint32_t>(before - m_newlines.begin()) + 1;
        const std::size_t line_start = before == m_newlines.begin() ? 0 : *(before - 1) + 1;
        return {line, static_cast<std::uint32_t>(offset - line_start) + 1};
    }

private:
    std::vector<std::size_t> m_newlines;
};

Node convert(const toml::value& value, const LineIndex& lines);

Node convert_table(const toml::value& value, const LineIndex& lines) {
    std::vector<Located> located;
    for (const auto& [key, child] : value.as_table())
        located.push_back(Located{Entry{key, convert(child, lines)}, lines.position(child).second});
    // toml11 keeps tables unordered; sorting by position makes "the first error" the one
    // nearest the top of the file, and keeps messages stable from run to run.
    std::sort(located.begin(), located.end(), [](const Located& a, const Located& b) {
        return std::tie(a.entry.value.line, a.column, a.entry.key) <
               std::tie(b.entry.value.line, b.column, b.entry.key);
    });
    Node node;
    node.kind = Node::Kind::table;
    for (auto& item : located)
        node.table.push_back(std::move(item.entry));
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
    node.line = lines.position(value).first;
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

Result<Node> parse_document_text(std::string_view text, const std::string& display_name) {
    // Before toml11 sees the text: its recursive descent would overflow the stack on deep
    // nesting rather than fail (toml_limits.hpp).
    WILDCERT_CHECK(check_toml_limits(text, display_name));
    try {
        std::istringstream stream{std::string(text)};
        const toml::value root = toml::parse(stream, display_name);
        Node node = convert(root, LineIndex(text));
        node.line = 1; // the root has no header; line 1 is where a missing table belongs
        return node;
    } catch (const toml::syntax_error& e) {
        return make_error(ErrorKind::profile,
                          display_name + ":" + std::to_string(e.location().line()) +
                              ": TOML syntax error: " + clean_syntax_message(e.what()));
    } catch (const std::exception& e) {
        return make_error(ErrorKind::profile,
                          display_name + ": cannot parse as TOML: " + std::string(e.what()));
    }
}

Result<Node> parse_document(const std::filesystem::path& path, const std::string& display_name) {
    auto text = read_small_file(path, k_max_profile_bytes);
    if (!text.ok())
        return make_error(ErrorKind::profile,
                          display_name + ": cannot read the profile: " + text.error().message);
    return parse_document_text(*text, display_name);
}

} // namespace wildcert::config
