#include "core/challenge_records.hpp"

#include "core/public_suffix.hpp"

#include <algorithm>

namespace wildcert::core {

Result<std::string> ZoneFinder::zone_of(const std::string& fqdn) {
    if (const auto found = m_zones.find(fqdn); found != m_zones.end())
        return found->second;
    WILDCERT_TRY(auto zone, m_discovery->find_zone_apex(fqdn));
    // What discovery finds for a misspelt name whose own zone does not exist: the registry's
    // zone. A record there would be wrong even when the server took it.
    if (const auto kind = classify_zone(zone);
        kind == SuffixKind::root || kind == SuffixKind::top_level || kind == SuffixKind::icann)
        return make_error(ErrorKind::dns,
                          "the closest zone of " + fqdn + " is " + zone + ", " +
                              describe_suffix(kind) +
                              ", which wildcert never updates: the name has no zone of its own. "
                              "Check its spelling in the profile (and challenge_alias or the "
                              "CNAME at _acme-challenge), and that its zone is delegated");
    m_zones.emplace(fqdn, zone);
    return zone;
}

CnameLookup cname_lookup(const DnsSettings& settings,
                         std::function<void(const std::string&)> warn) {
    return CnameLookup{.follow = settings.follow_cname,
                       .unreachable_is_warning =
                           settings.propagation_check == PropagationCheck::none,
                       .warn = std::move(warn)};
}

Result<std::string> ZoneFinder::alias_target(const std::string& fqdn) {
    if (!m_lookup.follow)
        return fqdn;
    if (const auto found = m_targets.find(fqdn); found != m_targets.end())
        return found->second;
    auto target = m_discovery->follow_cname(fqdn);
    if (!target.ok()) {
        // Only "no resolver replied at all" (ErrorKind::network) is forgiven: a loop or a
        // resolver's error answer says something about the zone.
        if (!m_lookup.unreachable_is_warning || target.error().kind != ErrorKind::network)
            return target.error();
        if (m_lookup.warn)
            m_lookup.warn("dns: warning: " + target.error().message + "; publishing at " + fqdn +
                          " itself (propagation_check = \"none\"; dns.follow_cname = false "
                          "skips the lookup)");
        target = fqdn;
    }
    m_targets.emplace(fqdn, *target);
    return target;
}

std::string without_wildcard(const std::string& domain) {
    return domain.rfind("*.", 0) == 0 ? domain.substr(2) : domain;
}

Result<std::string> record_owner(const CertificateSettings& certificate, const std::string& base,
                                 ZoneFinder& zones) {
    if (const auto alias = certificate.challenge_aliases.find(base);
        alias != certificate.challenge_aliases.end())
        return alias->second;
    if (!certificate.challenge_alias.empty())
        return certificate.challenge_alias;
    return zones.alias_target("_acme-challenge." + base + ".");
}

Result<std::vector<PendingChallenge>>
plan_challenges(const std::vector<acme::Authorization>& authorizations,
                const std::string& thumbprint, std::chrono::seconds ttl,
                const CertificateSettings& certificate, ZoneFinder& zones) {
    std::vector<PendingChallenge> pending;
    for (const auto& authorization : authorizations) {
        const auto identifier = (authorization.wildcard ? "*." : "") + authorization.identifier;
        if (authorization.status == AcmeStatus::valid)
            continue; // reused authorization (RFC 8555 §7.1.3): nothing to prove
        if (authorization.status != AcmeStatus::pending)
            return acme::authorization_failure(authorization, identifier);
        const auto* challenge = authorization.challenge("dns-01");
        if (challenge == nullptr || challenge->token.empty() || challenge->url.empty()) {
            return make_error(ErrorKind::acme, "authorization for " + identifier +
                                                   ": the CA offers no dns-01 challenge");
        }
        // RFC 8555 §8.4: the wildcard and its apex share one owner name.
        const auto validation_name = "_acme-challenge." + authorization.identifier + ".";
        WILDCERT_TRY(std::string owner, record_owner(certificate, authorization.identifier, zones));
        auto zone = zones.zone_of(owner);
        if (!zone.ok())
            return zone.error().with_context("zone of " + owner);
        pending.push_back({
            .identifier = identifier,
            .authorization_url = authorization.url,
            .challenge_url = challenge->url,
            .validation_name = validation_name,
            .record = {.zone = std::move(zone).value(),
                       .fqdn = std::move(owner),
                       .value = acme::dns01_txt_value(challenge->token, thumbprint),
                       .ttl = ttl},
        });
    }
    return pending;
}

Result<std::vector<dns::PropagationTarget>>
propagation_targets(const std::vector<TxtRecord>& records, const DnsSettings& settings,
                    const dns::Discovery& discovery) {
    std::vector<dns::AuthoritativeServer> explicit_servers;
    for (const auto& text : settings.nameservers) {
        WILDCERT_TRY(auto address, dns::parse_server_address(text));
        explicit_servers.push_back({.name = text, .address = std::move(address)});
    }

    std::vector<dns::AuthoritativeServer> resolvers;
    if (settings.propagation_check == PropagationCheck::resolvers) {
        WILDCERT_TRY(const auto addresses, discovery.resolvers());
        for (const auto& address : addresses)
            resolvers.push_back({.name = "resolver", .address = address, .recursive = true});
    }

    std::map<std::string, std::vector<dns::AuthoritativeServer>> servers_by_zone;
    std::vector<dns::PropagationTarget> targets;
    for (const auto& record : records) {
        auto target = std::find_if(targets.begin(), targets.end(),
                                   [&](const auto& t) { return t.fqdn == record.fqdn; });
        if (target == targets.end()) {
            dns::PropagationTarget fresh;
            fresh.fqdn = record.fqdn;
            fresh.zone = record.zone;
            if (!explicit_servers.empty()) {
                fresh.servers = explicit_servers;
            } else {
                auto& servers = servers_by_zone[record.zone];
                if (servers.empty()) {
                    auto found = discovery.authoritative_servers(record.zone);
                    if (!found.ok())
                        return found.error().with_context("nameservers of " + record.zone);
                    servers = std::move(found).value();
                }
                fresh.servers = servers;
            }
            fresh.servers.insert(fresh.servers.end(), resolvers.begin(), resolvers.end());
            targets.push_back(std::move(fresh));
            target = std::prev(targets.end());
        }
        target->values.push_back(record.value);
    }
    return targets;
}

} // namespace wildcert::core
