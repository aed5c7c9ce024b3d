#pragma once
// From authorizations to the TXT records that answer them, and to what must be checked.

#include "acme/order.hpp"
#include "dns/discovery.hpp"
#include "dns/propagation.hpp"

#include <wildcert/dns_provider.hpp>
#include <wildcert/profile.hpp>
#include <wildcert/result.hpp>

#include <functional>
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

// How the CNAME at a validation name is looked up, from [dns].
struct CnameLookup {
    bool follow = true; // dns.follow_cname = false: no lookup, the records go to the name itself
    // propagation_check = "none": this run needs no DNS view of its own, so a lookup that
    // reaches no resolver is a warning and the records go to the name itself (a provider
    // refuses a TXT beside a CNAME anyway, so a CNAME missed here fails loudly).
    bool unreachable_is_warning = false;
    std::function<void(const std::string&)> warn; // gets that warning; may be empty
};

[[nodiscard]] CnameLookup cname_lookup(const DnsSettings& settings,
                                       std::function<void(const std::string&)> warn);

// Remembers zone apexes and CNAME targets so that a wildcard and its apex cost one lookup
// (and one warning).
class ZoneFinder {
public:
    explicit ZoneFinder(const dns::Discovery& discovery, CnameLookup lookup = {})
        : m_discovery(&discovery), m_lookup(std::move(lookup)) {}
    [[nodiscard]] Result<std::string> zone_of(const std::string& fqdn);
    // The end of the CNAME chain starting at `fqdn` (itself when there is none, and as
    // CnameLookup says).
    [[nodiscard]] Result<std::string> alias_target(const std::string& fqdn);

private:
    const dns::Discovery* m_discovery;
    CnameLookup m_lookup;
    std::map<std::string, std::string> m_zones;
    std::map<std::string, std::string> m_targets;
};

// "*.example.com" -> "example.com": the name whose _acme-challenge owner a domain uses.
[[nodiscard]] std::string without_wildcard(const std::string& domain);

// Where the TXT record for `base` (a domain without "*.") goes: the certificate's
// challenge_aliases entry for it, else its challenge_alias, else the end of the CNAME chain at
// _acme-challenge.<base> (RFC 8555 §8.4 validates by a normal lookup, which follows it).
[[nodiscard]] Result<std::string> record_owner(const CertificateSettings& certificate,
                                               const std::string& base, ZoneFinder& zones);

// One record per pending authorization; valid ones (reused) need none. An authorization in
// any other state, or without a dns-01 challenge, is an error naming the identifier.
// The record goes where record_owner says.
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
