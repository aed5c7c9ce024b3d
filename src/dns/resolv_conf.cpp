#include "dns/resolv_conf.hpp"

#include <arpa/inet.h>
#include <fstream>
#include <sstream>
#include <string>

namespace wildcert::dns {
namespace {

constexpr const char* k_resolv_conf = "/etc/resolv.conf";

bool is_ip_literal(const std::string& text) {
    in6_addr v6{};
    in_addr v4{};
    return inet_pton(AF_INET, text.c_str(), &v4) == 1 ||
           inet_pton(AF_INET6, text.c_str(), &v6) == 1;
}

} // namespace

std::vector<ServerAddress> parse_resolv_conf(std::string_view text) {
    std::vector<ServerAddress> servers;
    std::istringstream lines{std::string(text)};
    std::string line;
    while (std::getline(lines, line)) {
        std::istringstream words(line);
        std::string keyword;
        std::string address;
        if (!(words >> keyword >> address) || keyword != "nameserver")
            continue;
        if (is_ip_literal(address))
            servers.push_back(ServerAddress{address, 53});
    }
    return servers;
}

Result<std::vector<ServerAddress>> system_resolvers() {
    std::ifstream file(k_resolv_conf);
    if (!file)
        return make_error(ErrorKind::dns, std::string("cannot read ") + k_resolv_conf +
                                              " for the system's DNS resolvers; set "
                                              "dns.resolvers in the profile");
    std::ostringstream content;
    content << file.rdbuf();
    auto servers = parse_resolv_conf(content.str());
    if (servers.empty())
        return make_error(ErrorKind::dns, std::string(k_resolv_conf) +
                                              " lists no usable nameserver; set dns.resolvers "
                                              "in the profile");
    return servers;
}

} // namespace wildcert::dns
