#pragma once
// The system's recursive resolvers, from resolv.conf(5).

#include "dns/server_address.hpp"

#include <wildcert/result.hpp>

#include <string_view>
#include <vector>

namespace wildcert::dns {

// The "nameserver" lines of a resolv.conf text, in order, port 53. Addresses with a zone
// index ("fe80::1%eth0") and lines that are not IP literals are skipped.
[[nodiscard]] std::vector<ServerAddress> parse_resolv_conf(std::string_view text);

// parse_resolv_conf of /etc/resolv.conf; an error when it lists no usable nameserver.
[[nodiscard]] Result<std::vector<ServerAddress>> system_resolvers();

} // namespace wildcert::dns
