#pragma once
// Durations in profiles: "500ms", "2s", "5m", "1h", "1d", or combinations such as "1m30s".

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace wildcert::config {

// Parses one or more <digits><unit> parts, units d, h, m, s, ms, each at most once and from
// the largest to the smallest ("1h30m", not "30m1h"). Each number has at most 9 digits, which
// keeps the sum far from overflow. Returns nullopt for anything else, including "" and "5".
[[nodiscard]] std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);

// The shortest spelling parse_duration accepts: 90000ms -> "1m30s", 0 -> "0s".
[[nodiscard]] std::string format_duration(std::chrono::milliseconds duration);

} // namespace wildcert::config
