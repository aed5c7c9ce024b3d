// Client::check: what `wildcert check` verifies before anything is ordered or published.

#include <wildcert/client.hpp>
#include <wildcert/preflight.hpp>

#include "core/account_setup.hpp"
#include "core/caa_identities.hpp"
#include "core/challenge_records.hpp"
#include "core/client_state.hpp"
#include "dns/caa.hpp"
#include "dns/soa_probe.hpp"

#include <algorithm>
#include <set>

namespace wildcert {
namespace {

// A preflight asks each server once; a server that has not answered by then is reported, not
// waited for.
constexpr std::chrono::milliseconds k_query_timeout{3000};

class Checks {
public:
    void add(std::string subject, CheckStatus status, std::string detail) {
        m_report.checks.push_back({std::move(subject), status, std::move(detail)});
    }
    [[nodiscard]] PreflightReport take() { return std::move(m_report); }

private:
    PreflightReport m_report;
};

// Every address of every nameserver of `zone` (or the profile's explicit nameservers), each
// asked once for the zone's SOA.
void check_nameservers(const Client::State& state, const std::string& zone, Checks& checks) {
    std::vector<dns::AuthoritativeServer> servers;
    for (const auto& text : state.profile.dns.nameservers) {
        auto address = dns::parse_server_address(text);
        if (!address.ok()) {
            checks.add("nameserver " + text, CheckStatus::failed, address.error().message);
            continue;
        }
        servers.push_back({.name = text, .address = std::move(address).value()});
    }
    if (state.profile.dns.nameservers.empty()) {
        auto found = state.discovery.authoritative_servers(zone);
        if (!found.ok()) {
            checks.add("nameservers of " + zone, CheckStatus::failed, found.error().message);
            return;
        }
        servers = std::move(found).value();
    }
    for (const auto& server : servers) {
        const std::string subject =
            "nameserver " + server.name + " (" + server.address.to_string() + ")";
        const auto serial = dns::probe_soa_serial(server.address, zone, k_query_timeout);
        if (!serial.ok())
            checks.add(subject, CheckStatus::failed, "unreachable: " + serial.error().message);
        else if (!*serial)
            checks.add(subject, CheckStatus::failed,
                       "lame: answers without the SOA of " + zone + " (not serving the zone)");
        else
            checks.add(subject, CheckStatus::ok,
                       "serves " + zone + " (SOA serial " + std::to_string(**serial) + ")");
    }
}

// The zones the records of `certificates` go to, each checked with its nameservers.
std::vector<std::string> check_zones(const Client::State& state,
                                     const std::vector<CertificateSettings>& certificates,
                                     Checks& checks) {
    core::ZoneFinder zones(state.discovery,
                           core::cname_lookup(state.profile.dns, [&state](const std::string& line) {
                               state.info(line);
                           }));
    std::vector<std::string> found_zones;
    for (const auto& certificate : certificates) {
        std::set<std::string> seen; // a wildcard and its apex share one validation name
        for (const auto& domain : certificate.domains) {
            const auto base = core::without_wildcard(domain);
            if (!seen.insert(base).second)
                continue;
            const std::string subject = "dns _acme-challenge." + base + ".";
            auto owner = core::record_owner(certificate, base, zones);
            if (!owner.ok()) {
                checks.add(subject, CheckStatus::failed, owner.error().message);
                continue;
            }
            auto zone = zones.zone_of(*owner);
            if (!zone.ok()) {
                checks.add(subject, CheckStatus::failed, zone.error().message);
                continue;
            }
            const bool aliased = *owner != "_acme-challenge." + base + ".";
            checks.add(subject, CheckStatus::ok,
                       (aliased ? "records go to " + *owner + " in zone " : "zone ") + *zone);
            if (std::find(found_zones.begin(), found_zones.end(), *zone) == found_zones.end()) {
                found_zones.push_back(*zone);
                check_nameservers(state, *zone, checks);
            }
        }
    }
    return found_zones;
}

void check_provider(Client::State& state, const std::vector<std::string>& zones, Checks& checks) {
    const std::string subject = "provider " + state.profile.dns.provider.name;
    if (zones.empty()) {
        checks.add(subject, CheckStatus::warning, "no zone found to check the credentials on");
        return;
    }
    const auto access = state.provider->check_access(zones);
    if (!access.ok())
        checks.add(subject, CheckStatus::failed, access.error().message);
    else
        checks.add(subject, access->verified ? CheckStatus::ok : CheckStatus::warning,
                   access->description);
}

// The identities to look for in CAA, reported as an item of its own.
core::CaaIdentities check_identities(const Client::State& state,
                                     const std::vector<std::string>& from_directory,
                                     Checks& checks) {
    auto identities = core::choose_caa_identities(state.profile.acme.caa_identities, from_directory,
                                                  state.profile.acme.directory_url);
    if (identities.names.empty()) {
        checks.add("ca identity", CheckStatus::warning,
                   "cannot tell which issuer domain this CA uses (set [acme] caa_identities)");
        return identities;
    }
    std::string names;
    for (const auto& name : identities.names)
        names += (names.empty() ? "" : ", ") + name;
    checks.add("ca identity", CheckStatus::ok, names + " (" + identities.source + ")");
    return identities;
}

void check_caa(const Client::State& state, const std::vector<CertificateSettings>& certificates,
               const dns::CaaIssuer& issuer, Checks& checks) {
    auto resolvers = state.discovery.resolvers();
    if (!resolvers.ok()) {
        checks.add("caa", CheckStatus::warning, resolvers.error().message);
        return;
    }
    const dns::CaaLookup lookup(std::move(resolvers).value(), k_query_timeout);
    std::set<std::string> seen;
    for (const auto& certificate : certificates) {
        for (const auto& domain : certificate.domains) {
            if (!seen.insert(domain).second)
                continue;
            const std::string subject = "caa " + domain;
            const auto set = lookup.relevant_set(domain);
            if (!set.ok()) {
                checks.add(subject, CheckStatus::warning, set.error().message);
                continue;
            }
            const auto verdict = dns::evaluate_caa(*set, domain, issuer);
            const auto status = verdict.outcome == dns::CaaOutcome::allowed ? CheckStatus::ok
                                : verdict.outcome == dns::CaaOutcome::uncertain
                                    ? CheckStatus::warning
                                    : CheckStatus::failed;
            checks.add(subject, status, verdict.detail);
        }
    }
}

// The account URL stored for this profile's CA, for CAA accounturi; "" when none yet.
std::string stored_account_url(const Client::State& state) {
    const auto stored = state.state_dir.load_account(state.profile.acme.directory_url,
                                                     core::eab_key_id(state.profile.acme));
    if (!stored.ok() || !*stored)
        return {};
    return (*stored)->url;
}

} // namespace

const char* to_string(CheckStatus status) {
    switch (status) {
    case CheckStatus::ok:
        return "ok";
    case CheckStatus::warning:
        return "warning";
    case CheckStatus::failed:
        return "failed";
    }
    return "failed";
}

PreflightReport Client::check(const std::vector<CertificateSettings>& certificates) {
    auto& state = *m_state;
    Checks checks;
    // A GET of the directory: proves the CA answers and its TLS certificate is trusted, and
    // may name its CAA identities. No nonce, no account, no order.
    std::vector<std::string> directory_identities;
    const auto& directory_url = state.profile.acme.directory_url;
    if (auto acme = acme::AcmeClient::connect(state.http, directory_url); acme.ok()) {
        directory_identities = acme->directory().caa_identities;
        checks.add("acme directory", CheckStatus::ok, directory_url + " answers");
    } else {
        checks.add("acme directory", CheckStatus::failed, acme.error().message);
    }
    const auto zones = check_zones(state, certificates, checks);
    check_provider(state, zones, checks);
    const auto identities = check_identities(state, directory_identities, checks);
    check_caa(state, certificates, dns::CaaIssuer{identities.names, stored_account_url(state)},
              checks);
    return checks.take();
}

} // namespace wildcert
