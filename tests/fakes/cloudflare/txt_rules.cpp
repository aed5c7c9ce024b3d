#include "txt_rules.hpp"

#include <algorithm>
#include <cctype>

namespace wildcert::fakes::cloudflare {
namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t';
}

// Walks the quoted character-strings of `content`, calling `take` with each one's text.
// Returns a problem description, or nothing when the quoting is complete.
template <typename Take>
std::optional<std::string> each_character_string(std::string_view content, Take take) {
    std::size_t at = 0;
    while (true) {
        while (at < content.size() && is_space(content[at]))
            ++at;
        if (at == content.size())
            return std::nullopt;
        if (content[at] != '"')
            return "text outside quotation marks";
        ++at;
        std::string text;
        while (at < content.size() && content[at] != '"') {
            if (content[at] == '\\') {
                ++at;
                if (at == content.size())
                    break;
            }
            text.push_back(content[at]);
            ++at;
        }
        if (at == content.size())
            return "unbalanced quotation marks";
        ++at; // the closing quote
        if (at < content.size() && !is_space(content[at]))
            return "text right after a closing quotation mark";
        take(text);
    }
}

} // namespace

std::optional<std::string> txt_content_problem(std::string_view content) {
    if (content.empty())
        return std::string("content is empty");
    if (content.size() > k_max_txt_content)
        return "content is longer than " + std::to_string(k_max_txt_content) + " characters";
    if (content.find('"') == std::string_view::npos)
        return std::nullopt;
    return each_character_string(content, [](const std::string&) {});
}

std::string txt_dns_value(std::string_view content) {
    if (content.find('"') == std::string_view::npos)
        return std::string(content);
    std::string value;
    if (each_character_string(content, [&value](const std::string& text) { value += text; }))
        return std::string(content);
    return value;
}

bool valid_ttl(std::int64_t ttl) {
    return ttl == 1 || (ttl >= 60 && ttl <= 86400);
}

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

std::string full_record_name(std::string_view name, std::string_view zone) {
    std::string full = lower(name);
    while (!full.empty() && full.back() == '.')
        full.pop_back();
    if (full == "@" || full == zone)
        return std::string(zone);
    const bool inside = full.size() > zone.size() &&
                        full.compare(full.size() - zone.size(), zone.size(), zone) == 0 &&
                        full[full.size() - zone.size() - 1] == '.';
    return inside ? full : full + "." + std::string(zone);
}

} // namespace wildcert::fakes::cloudflare
