#pragma once

#include <wildcert/result.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace wildcert::dns {

// A DNS server by IP address literal and port.
struct ServerAddress {
    std::string ip; // "127.0.0.1" or "::1" (no brackets)
    std::uint16_t port = 53;

    // "127.0.0.1:5300", "[::1]:53"
    [[nodiscard]] std::string to_string() const;
    friend bool operator==(const ServerAddress&, const ServerAddress&) = default;
};

// How long a host name in a server address may take to resolve when the caller has no
// deadline of its own (the profile's resolvers and name servers).
inline constexpr std::chrono::milliseconds k_default_lookup_limit{5000};

// Parses "ip", "ip:port", "[v6]" or "[v6]:port". A host name is resolved through the system
// resolver when it is not an IP literal, waiting at most `lookup_limit`. Errors name the text.
[[nodiscard]] Result<ServerAddress>
parse_server_address(std::string_view text,
                     std::chrono::milliseconds lookup_limit = k_default_lookup_limit);

} // namespace wildcert::dns
