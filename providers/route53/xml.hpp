#pragma once
// A small XML reader for Route 53 responses (REST-XML, namespace
// https://route53.amazonaws.com/doc/2013-04-01/). Responses are untrusted input: the reader is
// bounded in size, depth and element count, refuses DOCTYPE (so no entity expansion), and
// reports malformed input as an error, never by crashing.

#include <wildcert/result.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wildcert::providers::route53::xml {

struct Element {
    std::string name; // local name: a "prefix:" is dropped
    std::vector<std::pair<std::string, std::string>> attributes; // decoded values
    std::string text; // character data directly inside this element, decoded
    std::vector<Element> children;

    // The first child with this local name, or nullptr.
    [[nodiscard]] const Element* child(std::string_view child_name) const;
    // Every child with this local name, in document order.
    [[nodiscard]] std::vector<const Element*> children_named(std::string_view child_name) const;
    // The text of the first child with this name; "" when there is none.
    [[nodiscard]] std::string child_text(std::string_view child_name) const;
    // The value of an attribute ("xmlns"), or "".
    [[nodiscard]] std::string attribute(std::string_view attribute_name) const;
};

struct Limits {
    std::size_t max_bytes = 4 * 1024 * 1024;
    std::size_t max_depth = 32;
    std::size_t max_elements = 50000;
};

// Parses one document (prolog, one root element, trailing comments or whitespace).
[[nodiscard]] Result<Element> parse(std::string_view text, const Limits& limits = {});

// Escapes text for element content ('<', '>', '&'; quotes stay literal, as in TXT values).
[[nodiscard]] std::string escape(std::string_view text);

} // namespace wildcert::providers::route53::xml
