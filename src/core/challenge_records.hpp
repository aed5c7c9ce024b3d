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
    std::string validation_name; // where the CA looks: "_acme-challenge.example.com."
    TxtRecord record;            // record.fqdn differs when aliased (CNAME or challenge_alias)
};

// Remembers zone apexes and CNAME targets so that a wildcard and its apex cost one lookup.
class ZoneFinder {
public:
    explicit ZoneFinder(const dns::Discovery& discovery) : m_discovery(&discovery) {}
    [[nodiscard]] Result<std::string> zone_of(const std::string& fqdn);
    // The end of the CNAME chain starting at `fqdn` (itself when there is none).
    [[nodiscard]] Result<std::string> alias_target(const std::string& fqdn);

private:
    const dns::Discovery* m_discovery;
    std::map<std::string, std::string> m_zones;
    std::map<std::string, std::string> m_targets;
};

// One record per pending authorization; valid ones (reused) need none. An authorization in
// any other state, or without a dns-01 challenge, is an error naming the identifier.
// The record goes to the certificate's challenge_aliases entry for the name, else its
// challenge_alias, else to the end of the CNAME chain at
// _acme-challenge.<name> (RFC 8555 §8.4 validates by a normal lookup, which follows it).
[[nodiscard]] Result<std::vector<PendingChallenge>>
plan_challenges(const std::vector<acme::Authorization>& authorizations,
                const std::string& thumbprint, std::chrono::seconds ttl,
                const CertificateSettings& certificate, ZoneFinder& zones);

// What the propagation check must see: every owner name with all its values, each at every
// authoritative server of its zone (or at the profile's explicit nameservers), and with
// propagation_check = "resolvers" at every resolver too.
[[nodiscard]] Result<std::vector<dns::PropagationTarget>>
propagation_targets(const std::vector<TxtRecord>& records, const DnsSettings& settings,
                    const dns::Discovery& discovery);

} // namespace wildcert::core
