#pragma once
// RFC 3339 timestamps, as ACME objects carry them (RFC 8555 §7.1, RFC 9773 §4.2).

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace wildcert::acme {

// "2025-01-02T04:00:00Z", "2016-01-20T14:09:07.99Z", "2025-01-02T06:00:00+02:00" (lower-case
// t and z too, RFC 3339 §5.6). nullopt for anything else, including impossible dates.
[[nodiscard]] std::optional<std::chrono::system_clock::time_point>
parse_rfc3339(std::string_view text);

// "2025-01-02T04:00:00Z" (whole seconds, UTC).
[[nodiscard]] std::string format_rfc3339(std::chrono::system_clock::time_point when);

// "2h 5m 3s", "45s": a wait for people to read.
[[nodiscard]] std::string format_wait(std::chrono::seconds wait);

} // namespace wildcert::acme
