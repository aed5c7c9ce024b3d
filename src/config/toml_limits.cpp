#include "config/toml_limits.hpp"

#include <vector>

namespace wildcert::config {
namespace {

// One pass over the text with just enough of TOML's grammar (TOML 1.0 §Keys, §String, §Table,
// §Array, §Inline Table) to know whether a bracket opens a value, a dot separates key parts,
// or either is only text inside a string or a comment.
class LimitScanner {
public:
    LimitScanner(std::string_view text, const std::string& display_name)
        : m_text(text), m_file(display_name) {}

    Result<void> run() {
        while (m_pos < m_text.size()) {
            const char c = m_text[m_pos];
            if (c == '\n') {
                new_line();
                continue;
            }
            if (c == '#') {
                skip_comment();
                continue;
            }
            if (c == '"' || c == '\'') {
                m_key_started = true;
                skip_string(c);
                continue;
            }
            WILDCERT_CHECK(step(c));
            ++m_pos;
        }
        return {};
    }

private:
    // key: reading a key (a line's start, or after '{' or ',' in an inline table); header:
    // inside "[...]" or "[[...]]"; value: after '=' or inside an array; rest: after a header.
    enum class Mode { key, header, value, rest };

    std::string_view m_text;
    const std::string& m_file;
    std::size_t m_pos = 0;
    std::size_t m_line = 1;
    std::size_t m_line_start = 0; // offset of the current line's first character
    Mode m_mode = Mode::key;
    std::vector<char> m_open; // the '[' and '{' of values not closed yet
    std::size_t m_parts = 1;  // parts of the key or header being read
    bool m_key_started = false;

    Result<void> step(char c) {
        switch (m_mode) {
        case Mode::key:
            return key_char(c);
        case Mode::header:
            if (c == '.')
                return add_part();
            if (c == ']')
                m_mode = Mode::rest;
            return {};
        case Mode::value:
            return value_char(c);
        case Mode::rest:
            return {};
        }
        return {};
    }

    Result<void> key_char(char c) {
        if (c == '[' && m_open.empty() && !m_key_started) {
            m_mode = Mode::header;
            m_parts = 1;
            if (m_pos + 1 < m_text.size() && m_text[m_pos + 1] == '[')
                ++m_pos; // "[[": an array of tables
            return {};
        }
        if (c == '.')
            return add_part();
        if (c == '=') {
            m_mode = Mode::value;
            return {};
        }
        if (c == '}' && !m_open.empty() && m_open.back() == '{') {
            m_open.pop_back(); // "{}" or a trailing ","
            m_mode = Mode::value;
            return {};
        }
        if (c != ' ' && c != '\t' && c != '\r')
            m_key_started = true;
        return {};
    }

    Result<void> value_char(char c) {
        if (c == '[' || c == '{') {
            m_open.push_back(c);
            if (m_open.size() > k_max_toml_depth)
                return error("arrays and inline tables nested more than " +
                             std::to_string(k_max_toml_depth) + " levels deep");
            if (c == '{')
                start_key();
            return {};
        }
        if ((c == ']' || c == '}') && !m_open.empty()) {
            m_open.pop_back();
            return {};
        }
        if (c == ',' && !m_open.empty() && m_open.back() == '{')
            start_key();
        return {};
    }

    void start_key() {
        m_mode = Mode::key;
        m_parts = 1;
        m_key_started = true; // not a line's start: '[' here is no header
    }

    Result<void> add_part() {
        if (++m_parts > k_max_toml_key_parts)
            return error("a key or table header of more than " +
                         std::to_string(k_max_toml_key_parts) + " dotted parts");
        return {};
    }

    void new_line() {
        ++m_pos;
        ++m_line;
        m_line_start = m_pos;
        if (m_open.empty()) {
            // Arrays may span lines; anything else ends with its line.
            m_mode = Mode::key;
            m_parts = 1;
            m_key_started = false;
        }
    }

    void skip_comment() {
        while (m_pos < m_text.size() && m_text[m_pos] != '\n')
            ++m_pos;
    }

    // Moves past a string starting at m_pos (its quote). A single-line string that reaches the
    // end of its line is left there: the parser reports it.
    void skip_string(char quote) {
        const bool basic = quote == '"';
        const std::string_view triple = basic ? "\"\"\"" : "'''";
        if (m_text.substr(m_pos, 3) == triple) {
            m_pos += 3;
            while (m_pos < m_text.size()) {
                if (m_text.substr(m_pos, 3) == triple) {
                    m_pos += 3;
                    // Up to two more quotes belong to the content: """a"""" is a".
                    for (int extra = 0;
                         extra < 2 && m_pos < m_text.size() && m_text[m_pos] == quote; ++extra)
                        ++m_pos;
                    return;
                }
                if (basic && m_text[m_pos] == '\\' && m_pos + 1 < m_text.size() &&
                    m_text[m_pos + 1] != '\n')
                    ++m_pos; // an escaped character, perhaps a quote
                if (m_text[m_pos] == '\n') {
                    ++m_line;
                    m_line_start = m_pos + 1;
                }
                ++m_pos;
            }
            return;
        }
        ++m_pos;
        while (m_pos < m_text.size() && m_text[m_pos] != '\n') {
            const char c = m_text[m_pos];
            if (c == quote) {
                ++m_pos;
                return;
            }
            if (basic && c == '\\' && m_pos + 1 < m_text.size() && m_text[m_pos + 1] != '\n')
                ++m_pos;
            ++m_pos;
        }
    }

    [[nodiscard]] Error error(const std::string& what) const {
        const std::size_t column = m_pos - m_line_start + 1;
        return make_error(ErrorKind::profile, m_file + ":" + std::to_string(m_line) + ":" +
                                                  std::to_string(column) + ": " + what +
                                                  " (the limit for a profile)");
    }
};

} // namespace

Result<void> check_toml_limits(std::string_view text, const std::string& display_name) {
    return LimitScanner(text, display_name).run();
}

} // namespace wildcert::config
