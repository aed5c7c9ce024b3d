#include "dns/server_address.hpp"

#include "common/host_lookup.hpp"

#include <arpa/inet.h>
#include <charconv>

namespace wildcert::dns {
namespace {

bool is_ipv4(const std::string& text) {
    in_addr address{};
    return inet_pton(AF_INET, text.c_str(), &address) == 1;
}

bool is_ipv6(const std::string& text) {
    in6_addr address{};
    return inet_pton(AF_INET6, text.c_str(), &address) == 1;
}

Error bad(std::string_view text, const std::string& why) {
    return make_error(ErrorKind::dns, "DNS server \"" + std::string(text) + "\": " + why);
}

Result<std::uint16_t> parse_port(std::string_view whole, std::string_view port) {
    unsigned value = 0;
    const auto* end = port.data() + port.size();
    const auto [ptr, ec] = std::from_chars(port.data(), end, value);
    if (port.empty() || ec != std::errc() || ptr != end || value == 0 || value > 65535)
        return bad(whole, "invalid port \"" + std::string(port) + "\" (expected 1-65535)");
    return static_cast<std::uint16_t>(value);
}

// The first address the system resolver gives for a host name, within `limit`.
Result<std::string> resolve_host(std::string_view whole, const std::string& host,
                                 std::chrono::milliseconds limit) {
    const auto lookup = common::lookup_host(host, limit);
    if (lookup.outcome != common::HostLookup::Outcome::found)
        return bad(whole, common::describe_lookup_failure(host, lookup, limit));
    return lookup.addresses.front();
}

} // namespace

std::string ServerAddress::to_string() const {
    if (ip.find(':') != std::string::npos)
        return "[" + ip + "]:" + std::to_string(port);
    return ip + ":" + std::to_string(port);
}

Result<ServerAddress> parse_server_address(std::string_view text,
                                           std::chrono::milliseconds lookup_limit) {
    if (text.empty())
        return bad(text, "empty server address");
    std::string host;
    std::uint16_t port = 53;
    if (text.front() == '[') {
        const auto close = text.find(']');
        if (close == std::string_view::npos)
            return bad(text, "missing ']' after the IPv6 address");
        host = std::string(text.substr(1, close - 1));
        const auto rest = text.substr(close + 1);
        if (!rest.empty()) {
            if (rest.front() != ':')
                return bad(text, "expected \":port\" after ']'");
            WILDCERT_TRY(port, parse_port(text, rest.substr(1)));
        }
        if (!is_ipv6(host))
            return bad(text, "\"" + host + "\" is not an IPv6 address");
        return ServerAddress{host, port};
    }
    const auto colon = text.find(':');
    if (colon != std::string_view::npos && text.find(':', colon + 1) != std::string_view::npos) {
        // Two or more colons without brackets: a bare IPv6 literal, port 53.
        host = std::string(text);
        if (!is_ipv6(host))
            return bad(text, "not an IPv6 address (write [address]:port to give a port)");
        return ServerAddress{host, port};
    }
    host = std::string(text.substr(0, colon));
    if (colon != std::string_view::npos) {
        WILDCERT_TRY(port, parse_port(text, text.substr(colon + 1)));
    }
    if (host.empty())
        return bad(text, "missing host");
    if (is_ipv4(host))
        return ServerAddress{host, port};
    WILDCERT_TRY(auto ip, resolve_host(text, host, lookup_limit));
    return ServerAddress{std::move(ip), port};
}

} // namespace wildcert::dns
