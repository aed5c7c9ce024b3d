#pragma once
// Why a connection to the CA (or a provider API) could not be made. httplib reports a host
// name that does not resolve and a port where nothing listens alike ("Connection"), which
// sends an operator looking in the wrong place; this finds out which it was, asking the
// resolver again and, when the name resolves, trying one connection with a short limit.

#include <chrono>
#include <cstdint>
#include <string>

namespace wildcert::http {

struct ConnectDiagnosis {
    // "cannot resolve host name \"ca.example\": Name or service not known",
    // "connection refused (nothing listens on 127.0.0.1 port 14000)", "network unreachable"
    std::string text;
    // The name does not exist: asking again will not help (a resolver that cannot be
    // reached, or a refused port, may recover).
    bool permanent = false;
};

[[nodiscard]] ConnectDiagnosis diagnose_connect(const std::string& host, std::uint16_t port,
                                                std::chrono::milliseconds limit);

} // namespace wildcert::http
