#include "providers/route53/xml.hpp"

#include <cstdint>

namespace wildcert::providers::route53::xml {
namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

bool is_name_end(char c) {
    return is_space(c) || c == '/' || c == '>' || c == '=' || c == '<';
}

void append_utf8(std::string& out, std::uint32_t code) {
    if (code < 0x80) {
        out += static_cast<char>(code);
    } else if (code < 0x800) {
        out += static_cast<char>(0xc0 | (code >> 6));
        out += static_cast<char>(0x80 | (code & 0x3f));
    } else if (code < 0x10000) {
        out += static_cast<char>(0xe0 | (code >> 12));
        out += static_cast<char>(0x80 | ((code >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (code & 0x3f));
    } else {
        out += static_cast<char>(0xf0 | (code >> 18));
        out += static_cast<char>(0x80 | ((code >> 12) & 0x3f));
        out += static_cast<char>(0x80 | ((code >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (code & 0x3f));
    }
}

class Parser {
public:
    Parser(std::string_view text, const Limits& limits) : m_text(text), m_limits(limits) {}

    Result<Element> document() {
        if (m_text.size() > m_limits.max_bytes)
            return fail("document larger than " + std::to_string(m_limits.max_bytes) + " bytes");
        if (m_text.substr(0, 3) == "\xEF\xBB\xBF")
            m_pos = 3;
        WILDCERT_CHECK(skip_misc());
        if (at_end() || peek() != '<')
            return fail("no root element");
        Element root;
        WILDCERT_CHECK(element(root, 1));
        WILDCERT_CHECK(skip_misc());
        if (!at_end())
            return fail("content after the root element");
        return root;
    }

private:
    [[nodiscard]] bool at_end() const { return m_pos >= m_text.size(); }
    [[nodiscard]] char peek() const { return m_text[m_pos]; }
    [[nodiscard]] bool starts_with(std::string_view prefix) const {
        return m_text.substr(m_pos, prefix.size()) == prefix;
    }

    [[nodiscard]] Error fail(const std::string& why) const {
        return make_error(ErrorKind::provider,
                          "malformed XML at byte " + std::to_string(m_pos) + ": " + why);
    }

    // Skips past `terminator`, or fails when the input ends first.
    Result<void> skip_past(std::string_view terminator, std::string_view what) {
        const auto end = m_text.find(terminator, m_pos);
        if (end == std::string_view::npos)
            return fail("unterminated " + std::string(what));
        m_pos = end + terminator.size();
        return {};
    }

    // Whitespace, comments and processing instructions (the XML declaration among them).
    Result<void> skip_misc() {
        while (!at_end()) {
            if (is_space(peek())) {
                ++m_pos;
            } else if (starts_with("<?")) {
                WILDCERT_CHECK(skip_past("?>", "processing instruction"));
            } else if (starts_with("<!--")) {
                WILDCERT_CHECK(skip_past("-->", "comment"));
            } else if (starts_with("<!")) {
                // DOCTYPE could declare entities; no AWS response carries one.
                return fail("DOCTYPE and declarations are not accepted");
            } else {
                break;
            }
        }
        return {};
    }

    Result<std::string> name() {
        const auto start = m_pos;
        while (!at_end() && !is_name_end(peek()))
            ++m_pos;
        if (m_pos == start)
            return fail("expected a name");
        return std::string(m_text.substr(start, m_pos - start));
    }

    static std::string local_name(const std::string& qualified) {
        const auto colon = qualified.rfind(':');
        return colon == std::string::npos ? qualified : qualified.substr(colon + 1);
    }

    // An entity or character reference after '&' (XML 1.0 §4.1, §4.6).
    Result<void> reference(std::string& out) {
        const auto end = m_text.find(';', m_pos);
        if (end == std::string_view::npos || end - m_pos > 12)
            return fail("unterminated entity reference");
        const auto entity = m_text.substr(m_pos + 1, end - m_pos - 1);
        m_pos = end + 1;
        if (entity == "lt")
            out += '<';
        else if (entity == "gt")
            out += '>';
        else if (entity == "amp")
            out += '&';
        else if (entity == "quot")
            out += '"';
        else if (entity == "apos")
            out += '\'';
        else if (entity.size() > 1 && entity[0] == '#')
            return char_reference(entity.substr(1), out);
        else
            return fail("unknown entity &" + std::string(entity) + ";");
        return {};
    }

    Result<void> char_reference(std::string_view digits, std::string& out) {
        const bool hex = !digits.empty() && (digits[0] == 'x' || digits[0] == 'X');
        if (hex)
            digits.remove_prefix(1);
        if (digits.empty() || digits.size() > 8)
            return fail("bad character reference");
        std::uint32_t code = 0;
        for (const char c : digits) {
            int digit = -1;
            if (c >= '0' && c <= '9')
                digit = c - '0';
            else if (hex && c >= 'a' && c <= 'f')
                digit = c - 'a' + 10;
            else if (hex && c >= 'A' && c <= 'F')
                digit = c - 'A' + 10;
            if (digit < 0)
                return fail("bad character reference");
            code = code * (hex ? 16 : 10) + static_cast<std::uint32_t>(digit);
        }
        if (code == 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff))
            return fail("character reference out of range");
        append_utf8(out, code);
        return {};
    }

    Result<void> attribute(Element& element) {
        WILDCERT_TRY(auto attribute_name, name());
        while (!at_end() && is_space(peek()))
            ++m_pos;
        if (at_end() || peek() != '=')
            return fail("expected '=' after attribute " + attribute_name);
        ++m_pos;
        while (!at_end() && is_space(peek()))
            ++m_pos;
        if (at_end() || (peek() != '"' && peek() != '\''))
            return fail("expected a quoted attribute value");
        const char quote = peek();
        ++m_pos;
        std::string value;
        while (!at_end() && peek() != quote) {
            if (peek() == '<')
                return fail("'<' in an attribute value");
            if (peek() == '&') {
                WILDCERT_CHECK(reference(value));
            } else {
                value += peek();
                ++m_pos;
            }
        }
        if (at_end())
            return fail("unterminated attribute value");
        ++m_pos;
        element.attributes.emplace_back(std::move(attribute_name), std::move(value));
        return {};
    }

    // Parses "<name attrs>content</name>" or "<name attrs/>" starting at '<'.
    Result<void> element(Element& element, std::size_t depth) {
        if (depth > m_limits.max_depth)
            return fail("elements nested deeper than " + std::to_string(m_limits.max_depth));
        if (++m_elements > m_limits.max_elements)
            return fail("more than " + std::to_string(m_limits.max_elements) + " elements");
        ++m_pos; // '<'
        WILDCERT_TRY(const auto qualified, name());
        element.name = local_name(qualified);
        while (true) {
            while (!at_end() && is_space(peek()))
                ++m_pos;
            if (at_end())
                return fail("unterminated start tag <" + qualified + ">");
            if (starts_with("/>")) {
                m_pos += 2;
                return {};
            }
            if (peek() == '>') {
                ++m_pos;
                break;
            }
            WILDCERT_CHECK(attribute(element));
        }
        return content(element, qualified, depth);
    }

    Result<void> content(Element& element, const std::string& qualified, std::size_t depth) {
        while (true) {
            if (at_end())
                return fail("missing </" + qualified + ">");
            if (starts_with("</")) {
                m_pos += 2;
                WILDCERT_TRY(const auto closing, name());
                while (!at_end() && is_space(peek()))
                    ++m_pos;
                if (closing != qualified || at_end() || peek() != '>')
                    return fail("</" + closing + "> does not close <" + qualified + ">");
                ++m_pos;
                return {};
            }
            if (starts_with("<!--")) {
                WILDCERT_CHECK(skip_past("-->", "comment"));
            } else if (starts_with("<![CDATA[")) {
                const auto start = m_pos + 9;
                WILDCERT_CHECK(skip_past("]]>", "CDATA section"));
                element.text += m_text.substr(start, m_pos - 3 - start);
            } else if (starts_with("<?")) {
                WILDCERT_CHECK(skip_past("?>", "processing instruction"));
            } else if (starts_with("<!")) {
                return fail("declarations are not accepted inside elements");
            } else if (peek() == '<') {
                element.children.emplace_back();
                WILDCERT_CHECK(this->element(element.children.back(), depth + 1));
            } else if (peek() == '&') {
                WILDCERT_CHECK(reference(element.text));
            } else {
                element.text += peek();
                ++m_pos;
            }
        }
    }

    std::string_view m_text;
    const Limits& m_limits;
    std::size_t m_pos = 0;
    std::size_t m_elements = 0;
};

} // namespace

const Element* Element::child(std::string_view child_name) const {
    for (const auto& candidate : children) {
        if (candidate.name == child_name)
            return &candidate;
    }
    return nullptr;
}

std::vector<const Element*> Element::children_named(std::string_view child_name) const {
    std::vector<const Element*> found;
    for (const auto& candidate : children) {
        if (candidate.name == child_name)
            found.push_back(&candidate);
    }
    return found;
}

std::string Element::child_text(std::string_view child_name) const {
    const Element* found = child(child_name);
    return found != nullptr ? found->text : std::string();
}

std::string Element::attribute(std::string_view attribute_name) const {
    for (const auto& [key, value] : attributes) {
        if (key == attribute_name)
            return value;
    }
    return {};
}

Result<Element> parse(std::string_view text, const Limits& limits) {
    return Parser(text, limits).document();
}

std::string escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '&':
            out += "&amp;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

} // namespace wildcert::providers::route53::xml
