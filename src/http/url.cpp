#include "http/url.hpp"

#include "common/loopback_host.hpp"
#include "common/printable.hpp"

#include <charconv>

namespace wildcert::http {

std::string Url::origin() const {
    const bool ipv6 = host.find(':') != std::string::npos;
    return scheme + "://" + (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

bool Url::is_loopback() const {
    return common::is_loopback_host(host);
}

Result<Url> parse_url(std::string_view text) {
    const auto fail = [&](const char* why) {
        return make_error(ErrorKind::usage,
                          "invalid URL \"" + common::printable(text) + "\": " + why);
    };
    // RFC 3986 §2: a URL holds no spaces or control characters (they would end up in the
    // request line, and in messages).
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte <= 0x20 || byte == 0x7f)
            return fail("spaces and control characters are not allowed");
    }
    Url url;
    const auto scheme_end = text.find("://");
    if (scheme_end == std::string_view::npos)
        return fail("expected https://host/path");
    url.scheme = std::string(text.substr(0, scheme_end));
    if (url.scheme != "https" && url.scheme != "http")
        return fail("only https:// and http:// are supported");
    url.port = url.scheme == "https" ? 443 : 80;

    std::string_view rest = text.substr(scheme_end + 3);
    const auto target_start = rest.find_first_of("/?");
    std::string_view authority = rest.substr(0, target_start);
    url.target =
        target_start == std::string_view::npos ? "/" : std::string(rest.substr(target_start));
    if (!url.target.empty() && url.target.front() == '?')
        url.target.insert(url.target.begin(), '/');
    if (authority.find('@') != std::string_view::npos)
        return fail("credentials in URLs are not supported");

    std::string_view port_text;
    if (!authority.empty() && authority.front() == '[') {
        const auto close = authority.find(']');
        if (close == std::string_view::npos)
            return fail("unclosed '[' in host");
        url.host = std::string(authority.substr(1, close - 1));
        const auto after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':')
                return fail("unexpected text after ']'");
            port_text = after.substr(1);
        }
    } else {
        const auto colon = authority.rfind(':');
        url.host = std::string(authority.substr(0, colon));
        if (colon != std::string_view::npos)
            port_text = authority.substr(colon + 1);
    }
    if (url.host.empty())
        return fail("missing host");
    if (!port_text.empty()) {
        unsigned port = 0;
        const auto [end, error] =
            std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
        if (error != std::errc{} || end != port_text.data() + port_text.size() || port == 0 ||
            port > 65535)
            return fail("invalid port");
        url.port = static_cast<std::uint16_t>(port);
    }
    return url;
}

} // namespace wildcert::http
