// Client::check: what `wildcert check` verifies before anything is ordered or published.

#include <wildcert/client.hpp>
#include <wildcert/preflight.hpp>

#include "core/account_setup.hpp"
#include "core/caa_identities.hpp"
#include "core/challenge_records.hpp"
#include "core/client_state.hpp"
#include "core/preflight_checks.hpp"
#include "core/public_suffix.hpp"
#include "dns/caa.hpp"

#include <algorithm>
#include <set>

namespace wildcert {
namespace {

using core::ChallengeOwner;
using core::Checks;
using core::k_preflight_query_timeout;

// A zone of the Public Suffix List's private section is its operator's own zone: a record
// there is right for them only. "" for any other zone.
std::string private_suffix_warning(const std::string& zone) {
    if (core::classify_zone(zone) != core::SuffixKind::private_domain)
        return {};
    return ", " + core::describe_suffix(core::SuffixKind::private_domain) +
           ": unless you operate " + zone +
           " itself, the name is misspelt or its own zone is not delegated";
}

// Once per check: whether the zones could be compared with the Public Suffix List.
void check_suffix_list(Checks& checks) {
    const auto& list = core::system_public_suffixes();
    const std::string rule = "; only the root and one-label zones (TLDs) are refused as zones";
    if (!list.ok())
        checks.add("public suffix list", CheckStatus::warning, list.error().message + rule);
    else if (!*list)
        checks.add("public suffix list", CheckStatus::warning,
                   core::public_suffix_list_path() +
                       " not found (Debian package publicsuffix, or set "
                       "WILDCERT_PUBLIC_SUFFIX_LIST)" +
                       rule);
}

// Where the records of `certificates` go, each zone checked with its nameservers.
std::vector<ChallengeOwner> check_zones(const Client::State& state,
                                        const std::vector<CertificateSettings>& certificates,
                                        Checks& checks) {
    core::ZoneFinder zones(state.discovery,
                           core::cname_lookup(state.profile.dns, [&state](const std::string& line) {
                               state.info(line);
                           }));
    std::vector<ChallengeOwner> owners;
    std::set<std::string> checked_zones;
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
            const auto warning = private_suffix_warning(*zone);
            checks.add(subject, warning.empty() ? CheckStatus::ok : CheckStatus::warning,
                       (aliased ? "records go to " + *owner + " in zone " : "zone ") + *zone +
                           warning);
            const bool known = std::any_of(owners.begin(), owners.end(),
                                           [&](const auto& o) { return o.fqdn == *owner; });
            if (!known)
                owners.push_back({*owner, *zone});
            if (checked_zones.insert(*zone).second)
                core::check_nameservers(state, *zone, checks);
        }
    }
    return owners;
}

// The provider's credentials for each zone; true when they were accepted.
bool check_provider(Client::State& state, const std::vector<ChallengeOwner>& owners,
                    Checks& checks) {
    const std::string subject = "provider " + state.profile.dns.provider.name;
    std::vector<std::string> zones;
    for (const auto& owner : owners) {
        if (std::find(zones.begin(), zones.end(), owner.zone) == zones.end())
            zones.push_back(owner.zone);
    }
    if (zones.empty()) {
        checks.add(subject, CheckStatus::warning, "no zone found to check the credentials on");
        return false;
    }
    const auto access = state.provider->check_access(zones);
    if (!access.ok()) {
        checks.add(subject, CheckStatus::failed, access.error().message);
        return false;
    }
    checks.add(subject, access->verified ? CheckStatus::ok : CheckStatus::warning,
               access->description);
    return true;
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
    const dns::CaaLookup lookup(std::move(resolvers).value(), k_preflight_query_timeout);
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
    core::check_state_writable(state, certificates, checks);
    // A GET of the directory: proves the CA answers and its TLS certificate is trusted, and
    // may name its CAA identities. No nonce, no account, no order.
    std::vector<std::string> directory_identities;
    const auto& directory_url = state.profile.acme.directory_url;
    if (auto acme = acme::AcmeClient::connect(state.session.http, directory_url); acme.ok()) {
        directory_identities = acme->directory().caa_identities;
        checks.add("acme directory", CheckStatus::ok, directory_url + " answers");
    } else {
        checks.add("acme directory", CheckStatus::failed, acme.error().message);
    }
    const auto owners = check_zones(state, certificates, checks);
    if (!owners.empty())
        check_suffix_list(checks);
    // Permission is probed only with credentials that work: a refused key says nothing new
    // once per name.
    if (check_provider(state, owners, checks))
        core::check_permissions(state, owners, checks);
    const auto identities = check_identities(state, directory_identities, checks);
    check_caa(state, certificates, dns::CaaIssuer{identities.names, stored_account_url(state)},
              checks);
    check_deploy_targets(state, certificates, checks);
    return checks.take();
}

} // namespace wildcert
