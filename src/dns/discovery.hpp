#pragma once
// Finding where a name lives: zone apex and its authoritative servers.

#include "dns/server_address.hpp"

#include <wildcert/result.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace wildcert::dns {

namespace detail {
class Asker;
}

// Longest CNAME chain followed from an _acme-challenge name (RFC 1034 §3.6.2 allows chains;
// resolvers commonly stop around 8-16 links).
inline constexpr int k_max_cname_chain = 8;

// The propagation check asks every address of every name server of a zone; a zone (or a
// resolver's answer) with hundreds of each would make one round outlast any timeout. Beyond
// these bounds the first by name (and address) are kept, and the warning sink is told.
inline constexpr std::size_t k_max_nameservers = 16;
inline constexpr std::size_t k_max_nameserver_addresses = 4;

struct AuthoritativeServer {
    std::string name;      // "ns1.example.com."
    ServerAddress address; // one of its addresses (A and AAAA each give one entry)
    // A recursive resolver checked as well (propagation_check = "resolvers"): asked with
    // recursion desired, and its answers need not be authoritative.
    bool recursive = false;
};

class Discovery {
public:
    // `resolvers` are recursive resolvers (or, in tests, the authoritative server itself);
    // empty means the system's (/etc/resolv.conf). `asker` null: the network.
    explicit Discovery(std::vector<ServerAddress> resolvers,
                       std::chrono::milliseconds query_timeout = std::chrono::seconds(3),
                       std::shared_ptr<const detail::Asker> asker = nullptr);

    // The apex of the zone that holds `fqdn`: walks up the labels asking for SOA and also
    // reads the SOA owner from the authority section of negative answers. Absolute, lower
    // case, trailing dot ("example.com.").
    [[nodiscard]] Result<std::string> find_zone_apex(const std::string& fqdn) const;

    // Every address (A and AAAA) of every NS of `zone`, in a stable order. Fails when the
    // zone has no NS records or no NS has an address.
    [[nodiscard]] Result<std::vector<AuthoritativeServer>>
    authoritative_servers(const std::string& zone) const;

    // Finds zones and their servers by following the public delegation down from `roots`
    // (empty: the IANA root servers) instead of asking the resolvers, which may serve a
    // private view of the zone (split horizon). The resolvers are then only used for the
    // addresses of name servers that come without glue, and for CNAMEs.
    void use_delegation(std::vector<ServerAddress> roots);

    // Where a TXT record for `fqdn` has to be written: `fqdn` itself, or the end of the CNAME
    // chain that starts there (the usual way to delegate _acme-challenge to a validation zone).
    // Bounded by k_max_cname_chain; a loop is an ErrorKind::dns error that shows the chain.
    [[nodiscard]] Result<std::string> follow_cname(const std::string& fqdn) const;

    // The resolvers in use (the configured ones, else the system's).
    [[nodiscard]] Result<std::vector<ServerAddress>> resolvers() const;

    // Receives a line for each zone whose name servers were cut to the bounds above. Unset:
    // the lines are dropped. Called from the thread that asked.
    void set_warning_sink(std::function<void(const std::string&)> sink);

private:
    struct Delegation {
        std::string zone;
        std::vector<AuthoritativeServer> servers;
    };
    // Referral by referral from the roots to the zone that holds `fqdn` (RFC 1034 §4.3.2).
    [[nodiscard]] Result<Delegation> follow_delegation(const std::string& fqdn) const;
    // The servers of `zone`, one per address, from its NS `hosts` (sorted, unique) and
    // `addresses_of` for a host, within k_max_nameservers and k_max_nameserver_addresses.
    using AddressLookup = std::function<Result<std::vector<std::string>>(const std::string& host)>;
    [[nodiscard]] Result<std::vector<AuthoritativeServer>>
    bounded_servers(const std::string& zone, std::vector<std::string> hosts,
                    const AddressLookup& addresses_of) const;

    std::vector<ServerAddress> m_resolvers;
    std::optional<std::vector<ServerAddress>> m_roots; // set: discovery by delegation
    std::shared_ptr<const detail::Asker> m_asker;
    std::chrono::milliseconds m_query_timeout;
    std::function<void(const std::string&)> m_warn;
};

} // namespace wildcert::dns
