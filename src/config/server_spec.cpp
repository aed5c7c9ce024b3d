#include "config/server_spec.hpp"

#include <cstdint>

namespace wildcert::config {
namespace {

std::optional<std::string> check_port(std::string_view port) {
    if (port.empty() || port.size() > 5)
        return "the port must be a number from 1 to 65535";
    std::uint32_t value = 0;
    for (const char c : port) {
        if (c < '0' || c > '9')
            return "the port must be a number from 1 to 65535";
        value = value * 10 + static_cast<std::uint32_t>(c - '0');
    }
    if (value == 0 || value > 65535)
        return "the port must be a number from 1 to 65535";
    return std::nullopt;
}

bool is_host_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_';
}

bool is_v6_char(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' ||
           c == '.' || c == '%';
}

bool all_of(std::string_view text, bool (*predicate)(char)) {
    for (const char c : text) {
        if (!predicate(c))
            return false;
    }
    return true;
}

} // namespace

std::optional<std::string> check_server_spec(std::string_view text) {
    if (text.empty())
        return "is empty";
    if (text.front() == '[') {
        const std::size_t close = text.find(']');
        if (close == std::string_view::npos || close == 1 ||
            !all_of(text.substr(1, close - 1), is_v6_char))
            return "expected an IPv6 address in brackets, as in [::1]:53";
        const std::string_view rest = text.substr(close + 1);
        if (rest.empty())
            return std::nullopt;
        if (rest.front() != ':')
            return "expected ':port' after ']'";
        return check_port(rest.substr(1));
    }
    const std::size_t colon = text.find(':');
    if (colon != std::string_view::npos && text.find(':', colon + 1) != std::string_view::npos) {
        // Several colons: a bare IPv6 address, which cannot carry a port.
        if (!all_of(text, is_v6_char))
            return "expected host:port, or an IPv6 address in brackets as in [::1]:53";
        return std::nullopt;
    }
    const std::string_view host = text.substr(0, colon);
    if (host.empty() || !all_of(host, is_host_char))
        return "expected host:port, as in 127.0.0.1:53 or ns1.example.com:53";
    if (colon == std::string_view::npos)
        return std::nullopt;
    return check_port(text.substr(colon + 1));
}

} // namespace wildcert::config
