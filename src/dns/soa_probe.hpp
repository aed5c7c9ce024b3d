#pragma once
// One SOA question to one authoritative server, for `wildcert check`: does it answer, and
// does it serve the zone?

#include "dns/server_address.hpp"

#include <wildcert/result.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace wildcert::dns {

// The SOA serial `server` serves for `zone` (recursion off); nullopt when it answers without
// the zone's SOA (lame, refused, not loaded). No answer is an ErrorKind::dns error naming the
// server.
[[nodiscard]] Result<std::optional<std::uint32_t>>
probe_soa_serial(const ServerAddress& server, const std::string& zone,
                 std::chrono::milliseconds timeout);

} // namespace wildcert::dns
