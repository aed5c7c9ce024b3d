#pragma once

#include <wildcert/result.hpp>

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

// Parses "ip", "ip:port", "[v6]" or "[v6]:port". A host name is resolved through the system
// resolver when it is not an IP literal. Errors name the text.
[[nodiscard]] Result<ServerAddress> parse_server_address(std::string_view text);

} // namespace wildcert::dns
