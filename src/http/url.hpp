#pragma once

#include <wildcert/result.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace wildcert::http {

// An absolute http(s) URL split the way a client needs it. The target is kept exactly as
// given: ACME compares the JWS "url" with the request target byte for byte (RFC 8555 §6.4).
struct Url {
    std::string scheme; // "https" or "http"
    std::string host;   // "127.0.0.1", "acme.example.com", "::1" (no brackets)
    std::uint16_t port = 443;
    std::string target; // "/dir?x=1" (path and query; "/" when empty)

    // "https://host:port", brackets around IPv6 literals.
    [[nodiscard]] std::string origin() const;
    [[nodiscard]] bool is_loopback() const;
};

[[nodiscard]] Result<Url> parse_url(std::string_view text);

} // namespace wildcert::http
