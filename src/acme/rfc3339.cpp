#include "acme/rfc3339.hpp"

#include <charconv>
#include <cstdio>

namespace wildcert::acme {
namespace {

bool read_number(std::string_view text, std::size_t pos, std::size_t digits, int& out) {
    if (pos + digits > text.size())
        return false;
    for (std::size_t i = pos; i < pos + digits; ++i) {
        if (text[i] < '0' || text[i] > '9')
            return false;
    }
    const auto [end, error] = std::from_chars(text.data() + pos, text.data() + pos + digits, out);
    return error == std::errc{} && end == text.data() + pos + digits;
}

bool is_char(std::string_view text, std::size_t pos, char lower_or_symbol) {
    if (pos >= text.size())
        return false;
    const char c = text[pos];
    return c == lower_or_symbol ||
           (lower_or_symbol >= 'a' && lower_or_symbol <= 'z' && c == lower_or_symbol - 32);
}

} // namespace

std::optional<std::chrono::system_clock::time_point> parse_rfc3339(std::string_view text) {
    using namespace std::chrono;
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
    if (!read_number(text, 0, 4, y) || !is_char(text, 4, '-') || !read_number(text, 5, 2, mo) ||
        !is_char(text, 7, '-') || !read_number(text, 8, 2, d) || !is_char(text, 10, 't') ||
        !read_number(text, 11, 2, h) || !is_char(text, 13, ':') || !read_number(text, 14, 2, mi) ||
        !is_char(text, 16, ':') || !read_number(text, 17, 2, s))
        return std::nullopt;
    const year_month_day date{year{y}, month{static_cast<unsigned>(mo)},
                              day{static_cast<unsigned>(d)}};
    if (!date.ok() || h > 23 || mi > 59 || s > 60)
        return std::nullopt;
    std::size_t pos = 19;
    nanoseconds fraction{0};
    if (is_char(text, pos, '.')) {
        ++pos;
        long long scale = 100'000'000;
        const std::size_t start = pos;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
            fraction += nanoseconds((text[pos] - '0') * scale);
            scale /= 10;
            ++pos;
        }
        if (pos == start)
            return std::nullopt;
    }
    seconds offset{0};
    if (is_char(text, pos, 'z')) {
        ++pos;
    } else if (is_char(text, pos, '+') || is_char(text, pos, '-')) {
        const int sign = text[pos] == '-' ? -1 : 1;
        int oh = 0, om = 0;
        if (!read_number(text, pos + 1, 2, oh) || !is_char(text, pos + 3, ':') ||
            !read_number(text, pos + 4, 2, om) || oh > 23 || om > 59)
            return std::nullopt;
        offset = sign * (hours(oh) + minutes(om));
        pos += 6;
    } else {
        return std::nullopt;
    }
    if (pos != text.size())
        return std::nullopt;
    const auto local = sys_days(date) + hours(h) + minutes(mi) + seconds(s);
    return time_point_cast<system_clock::duration>(local - offset + fraction);
}

std::string format_rfc3339(std::chrono::system_clock::time_point when) {
    using namespace std::chrono;
    const auto secs = floor<seconds>(when);
    const auto days = floor<std::chrono::days>(secs);
    const year_month_day date{days};
    const hh_mm_ss time{secs - days};
    char text[32];
    std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02dZ", int(date.year()),
                  unsigned(date.month()), unsigned(date.day()), int(time.hours().count()),
                  int(time.minutes().count()), int(time.seconds().count()));
    return text;
}

std::string format_wait(std::chrono::seconds wait) {
    const long long total = wait.count() < 0 ? 0 : wait.count();
    const long long h = total / 3600, m = (total % 3600) / 60, s = total % 60;
    std::string text;
    if (h > 0)
        text += std::to_string(h) + "h ";
    if (h > 0 || m > 0)
        text += std::to_string(m) + "m ";
    text += std::to_string(s) + "s";
    return text;
}

} // namespace wildcert::acme
