#include "common/loopback_host.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <string>

namespace wildcert::common {
namespace {

bool equals_ignoring_case(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

} // namespace

bool is_loopback_host(std::string_view host) {
    // RFC 6761 §6.3: "localhost." is the loopback name. Its subdomains are not: glibc sends
    // them to DNS like any other name.
    if (equals_ignoring_case(host, "localhost") || equals_ignoring_case(host, "localhost."))
        return true;
    const std::string text(host);
    // inet_pton accepts only the strict forms: four decimal octets without leading zeros for
    // IPv4, and no zone id for IPv6. Looser spellings (127.1, 0x7f.0.0.1) are refused rather
    // than guessed, because getaddrinfo would read them its own way.
    std::array<unsigned char, sizeof(in6_addr)> address{};
    if (inet_pton(AF_INET, text.c_str(), address.data()) == 1)
        return address[0] == 127; // RFC 1122 §3.2.1.3: 127.0.0.0/8
    if (inet_pton(AF_INET6, text.c_str(), address.data()) == 1)
        return std::memcmp(address.data(), &in6addr_loopback, sizeof(in6_addr)) == 0;
    return false;
}

std::string_view url_host(std::string_view url) {
    std::string_view rest;
    for (const std::string_view scheme : {"http://", "https://"}) {
        if (url.substr(0, scheme.size()) == scheme)
            rest = url.substr(scheme.size());
    }
    const std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
    // "http://localhost:80@evil.test/" goes to evil.test: with credentials, no host is trusted.
    if (authority.find('@') != std::string_view::npos)
        return {};
    if (!authority.empty() && authority.front() == '[') {
        const auto close = authority.find(']');
        return close == std::string_view::npos ? std::string_view()
                                               : authority.substr(1, close - 1);
    }
    return authority.substr(0, authority.rfind(':'));
}

} // namespace wildcert::common
