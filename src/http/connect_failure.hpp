#pragma once
// Why a connection to the CA (or a provider API) could not be made. httplib reports every
// failed connect alike ("Connection"), which sends an operator looking in the wrong place;
// this tries one connection to the address with a short limit and says what happened. Host
// names that do not resolve are told apart earlier, by the lookup (common/host_lookup.hpp).

#include <chrono>
#include <cstdint>
#include <string>

namespace wildcert::http {

// "connection refused (nothing listens on 127.0.0.1 port 14000)", "network unreachable
// (192.0.2.1 port 443)", "connection to 192.0.2.1 port 443 timed out". `address` is numeric.
[[nodiscard]] std::string diagnose_connect(const std::string& address, std::uint16_t port,
                                           std::chrono::milliseconds limit);

} // namespace wildcert::http
