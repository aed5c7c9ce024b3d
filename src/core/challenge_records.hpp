#pragma once
// From authorizations to the TXT records that answer them, and to what must be checked.

#include "acme/order.hpp"
#include "dns/discovery.hpp"
#include "dns/propagation.hpp"

#include <wildcert/dns_provider.hpp>
#include <wildcert/profile.hpp>
#include <wildcert/result.hpp>

#include <map>
#include <string>
#include <vector>

namespace wildcert::core {

struct PendingChallenge {
    std::string identifier; // as ordered: "*.example.com" or "example.com"
    std::string authorization_url;
    std::string challenge_url;
    TxtRecord record;
};

// Remembers zone apexes so that a wildcard and its apex cost one lookup.
class ZoneFinder {
public:
    explicit ZoneFinder(const dns::Discovery& discovery) : m_discovery(&discovery) {}
    [[nodiscard]] Result<std::string> zone_of(const std::string& fqdn);

private:
    const dns::Discovery* m_discovery;
    std::map<std::string, std::string> m_cache;
};

// One record per pending authorization; valid ones (reused) need none. An authorization in
// any other state, or without a dns-01 challenge, is an error naming the identifier.
[[nodiscard]] Result<std::vector<PendingChallenge>>
plan_challenges(const std::vector<acme::Authorization>& authorizations,
                const std::string& thumbprint, std::chrono::seconds ttl, ZoneFinder& zones);

// What the propagation check must see: every owner name with all its values, each at every
// authoritative server of its zone (or at the profile's explicit nameservers).
[[nodiscard]] Result<std::vector<dns::PropagationTarget>>
propagation_targets(const std::vector<TxtRecord>& records, const DnsSettings& settings,
                    const dns::Discovery& discovery);

} // namespace wildcert::core
