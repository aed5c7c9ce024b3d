#pragma once
// Finding where a name lives: zone apex and its authoritative servers.

#include "dns/server_address.hpp"

#include <wildcert/result.hpp>

#include <chrono>
#include <string>
#include <vector>

namespace wildcert::dns {

struct AuthoritativeServer {
    std::string name;      // "ns1.example.com."
    ServerAddress address; // one of its addresses (A and AAAA each give one entry)
};

class Discovery {
public:
    // `resolvers` are recursive resolvers (or, in tests, the authoritative server itself);
    // empty means the system's (/etc/resolv.conf).
    explicit Discovery(std::vector<ServerAddress> resolvers,
                       std::chrono::milliseconds query_timeout = std::chrono::seconds(3));

    // The apex of the zone that holds `fqdn`: walks up the labels asking for SOA and also
    // reads the SOA owner from the authority section of negative answers. Absolute, lower
    // case, trailing dot ("example.com.").
    [[nodiscard]] Result<std::string> find_zone_apex(const std::string& fqdn) const;

    // Every address (A and AAAA) of every NS of `zone`, in a stable order. Fails when the
    // zone has no NS records or no NS has an address.
    [[nodiscard]] Result<std::vector<AuthoritativeServer>>
    authoritative_servers(const std::string& zone) const;

private:
    std::vector<ServerAddress> m_resolvers;
    std::chrono::milliseconds m_query_timeout;
};

} // namespace wildcert::dns
