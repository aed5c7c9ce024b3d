#include "http/link_header.hpp"

#include "http/url.hpp"

#include <algorithm>
#include <cctype>

namespace wildcert::http {
namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t';
}

void skip_spaces(std::string_view text, std::size_t& pos) {
    while (pos < text.size() && is_space(text[pos]))
        ++pos;
}

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

// A parameter value: a quoted-string (RFC 9110 §5.6.4, with backslash escapes) or a token
// that ends at ';', ',' or whitespace.
std::string read_value(std::string_view text, std::size_t& pos) {
    std::string value;
    if (pos < text.size() && text[pos] == '"') {
        ++pos;
        while (pos < text.size() && text[pos] != '"') {
            if (text[pos] == '\\' && pos + 1 < text.size())
                ++pos;
            value += text[pos++];
        }
        if (pos < text.size())
            ++pos; // closing quote
        return value;
    }
    while (pos < text.size() && text[pos] != ';' && text[pos] != ',' && !is_space(text[pos]))
        value += text[pos++];
    return value;
}

std::vector<std::string> split_rel(std::string_view value) {
    std::vector<std::string> types;
    std::size_t pos = 0;
    while (pos < value.size()) {
        while (pos < value.size() && std::isspace(static_cast<unsigned char>(value[pos])))
            ++pos;
        const std::size_t start = pos;
        while (pos < value.size() && !std::isspace(static_cast<unsigned char>(value[pos])))
            ++pos;
        if (pos > start)
            types.push_back(lower(value.substr(start, pos - start)));
    }
    return types;
}

std::string resolve(std::string target, std::string_view base_url) {
    if (base_url.empty() || target.empty() || target.front() != '/' ||
        (target.size() > 1 && target[1] == '/'))
        return target;
    auto base = parse_url(base_url);
    if (!base.ok())
        return target;
    return base->origin() + target;
}

// Parses one header line's links from `pos`; each link is "<target>" followed by parameters.
void parse_line(std::string_view text, std::string_view base_url, std::vector<Link>& links) {
    std::size_t pos = 0;
    while (pos < text.size()) {
        skip_spaces(text, pos);
        if (pos < text.size() && text[pos] == ',') {
            ++pos;
            continue;
        }
        if (pos >= text.size())
            break;
        if (text[pos] != '<') {
            // Not a link: skip to the next top-level comma.
            while (pos < text.size() && text[pos] != ',')
                ++pos;
            continue;
        }
        const std::size_t close = text.find('>', pos + 1);
        if (close == std::string_view::npos)
            return;
        Link link;
        link.target = resolve(std::string(text.substr(pos + 1, close - pos - 1)), base_url);
        pos = close + 1;
        while (true) {
            skip_spaces(text, pos);
            if (pos >= text.size() || text[pos] != ';')
                break;
            ++pos;
            skip_spaces(text, pos);
            const std::size_t name_start = pos;
            while (pos < text.size() && text[pos] != '=' && text[pos] != ';' && text[pos] != ',' &&
                   !is_space(text[pos]))
                ++pos;
            const std::string name = lower(text.substr(name_start, pos - name_start));
            skip_spaces(text, pos);
            std::string value;
            if (pos < text.size() && text[pos] == '=') {
                ++pos;
                skip_spaces(text, pos);
                value = read_value(text, pos);
            }
            // RFC 8288 §3.3: only the first rel parameter counts.
            if (name == "rel" && link.rel.empty())
                link.rel = split_rel(value);
        }
        links.push_back(std::move(link));
    }
}

} // namespace

std::vector<Link> parse_link_headers(const std::vector<std::string>& values,
                                     std::string_view base_url) {
    std::vector<Link> links;
    for (const auto& value : values)
        parse_line(value, base_url, links);
    return links;
}

std::vector<std::string> link_targets(const Response& response, std::string_view rel,
                                      std::string_view base_url) {
    std::vector<std::string> targets;
    for (const auto& link : parse_link_headers(response.headers_named("link"), base_url)) {
        if (std::find(link.rel.begin(), link.rel.end(), rel) != link.rel.end())
            targets.push_back(link.target);
    }
    return targets;
}

} // namespace wildcert::http
