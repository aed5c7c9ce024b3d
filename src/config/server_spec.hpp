#pragma once
// Syntax check for the "host:port" strings of dns.resolvers and dns.nameservers. The DNS layer
// resolves and parses them for real; this only catches typos while the profile is loaded, so
// that they are reported with their file and line.

#include <optional>
#include <string>
#include <string_view>

namespace wildcert::config {

// Accepts "host", "host:port", "[v6]", "[v6]:port" and a bare IPv6 literal ("::1").
// Returns why the text is not acceptable, or nullopt when it is.
[[nodiscard]] std::optional<std::string> check_server_spec(std::string_view text);

} // namespace wildcert::config
