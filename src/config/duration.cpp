#include "config/duration.hpp"

#include <array>
#include <cstdint>

namespace wildcert::config {
namespace {

struct Unit {
    std::string_view suffix;
    std::int64_t milliseconds;
};

// Largest first; "ms" before "m" so that the longer suffix wins when matching.
constexpr std::array<Unit, 5> k_units{{
    {"d", 86'400'000},
    {"h", 3'600'000},
    {"m", 60'000},
    {"s", 1'000},
    {"ms", 1},
}};

constexpr std::size_t k_max_digits = 9;

// Index into k_units of the unit at the start of `text`, or k_units.size().
std::size_t match_unit(std::string_view text) {
    if (text.substr(0, 2) == "ms")
        return 4;
    for (std::size_t i = 0; i < 4; ++i) {
        if (text.substr(0, 1) == k_units[i].suffix)
            return i;
    }
    return k_units.size();
}

} // namespace

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) {
    if (text.empty())
        return std::nullopt;
    std::int64_t total = 0;
    std::size_t next_unit = 0; // units must come in descending order, each once
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::int64_t number = 0;
        std::size_t digits = 0;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
            if (++digits > k_max_digits)
                return std::nullopt;
            number = number * 10 + (text[pos] - '0');
            ++pos;
        }
        if (digits == 0)
            return std::nullopt;
        const std::size_t unit = match_unit(text.substr(pos));
        if (unit == k_units.size() || unit < next_unit)
            return std::nullopt;
        total += number * k_units[unit].milliseconds;
        pos += k_units[unit].suffix.size();
        next_unit = unit + 1;
    }
    return std::chrono::milliseconds(total);
}

std::string format_duration(std::chrono::milliseconds duration) {
    std::int64_t left = duration.count();
    if (left <= 0)
        return left == 0 ? "0s" : "-" + format_duration(-duration);
    std::string out;
    for (const auto& unit : k_units) {
        if (left >= unit.milliseconds) {
            out += std::to_string(left / unit.milliseconds);
            out += unit.suffix;
            left %= unit.milliseconds;
        }
    }
    return out;
}

} // namespace wildcert::config
