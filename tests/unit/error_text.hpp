#pragma once
// Profile errors and origins read "<file>.toml:<line>:<column>". Most tests are about which
// line and key an error names, not where on the line the value starts; they compare the text
// without the column. profile_errors_test.cpp checks the columns themselves.

#include <cctype>
#include <string>
#include <string_view>

namespace wildcert::test {

// "p.toml:12:7: dns.ttl: ..." -> "p.toml:12: dns.ttl: ..."; every occurrence.
inline std::string without_column(const std::string& text) {
    constexpr std::string_view k_marker = ".toml:";
    const auto digits_from = [&](std::size_t at) {
        std::size_t end = at;
        while (end < text.size() && std::isdigit(static_cast<unsigned char>(text[end])) != 0)
            ++end;
        return end;
    };
    std::string result;
    std::size_t copied = 0;
    for (auto found = text.find(k_marker); found != std::string::npos;
         found = text.find(k_marker, found + 1)) {
        const std::size_t line_end = digits_from(found + k_marker.size());
        if (line_end == found + k_marker.size() || line_end >= text.size() || text[line_end] != ':')
            continue;
        const std::size_t column_end = digits_from(line_end + 1);
        if (column_end == line_end + 1)
            continue;
        result.append(text, copied, line_end - copied);
        copied = column_end;
    }
    result.append(text, copied);
    return result;
}

} // namespace wildcert::test
