#include "dns/discovery.hpp"

#include "dns/asker.hpp"
#include "dns/question.hpp"
#include "dns/rcode.hpp"
#include "dns/resolution.hpp"
#include "dns/resolv_conf.hpp"

#include <algorithm>
#include <array>

namespace wildcert::dns {
namespace {

using detail::ask_resolvers;
using detail::PacketPtr;
using detail::parent_of;

// DNS names have at most 127 labels (RFC 1035 §2.3.4: 255 octets); the walk is bounded by it.
constexpr int k_max_labels = 128;

bool is_same_or_below(const ldns_rdf* name, const ldns_rdf* zone) {
    return ldns_dname_compare(name, zone) == 0 || ldns_dname_is_subdomain(name, zone);
}

// Addresses of `host` from the glue in `referral`, else from the resolvers.
Result<std::vector<std::string>> addresses_of(const detail::Asker& asker,
                                              const std::vector<ServerAddress>& resolvers,
                                              const std::string& host, const ldns_pkt* referral,
                                              std::chrono::milliseconds timeout) {
    WILDCERT_TRY(auto owner, detail::make_dname(host));
    std::vector<std::string> addresses;
    for (const ldns_rr_type type : {LDNS_RR_TYPE_A, LDNS_RR_TYPE_AAAA}) {
        std::vector<const ldns_rr*> records =
            detail::records_at(ldns_pkt_additional(referral), owner.get(), type);
        PacketPtr reply;
        if (records.empty()) {
            auto asked = ask_resolvers(asker, resolvers, host, type, timeout);
            // A name server without AAAA (or without A) is normal; only "none at all" fails.
            if (!asked)
                continue;
            reply = std::move(asked).value();
            records = detail::records_at(ldns_pkt_answer(reply.get()), owner.get(), type);
        }
        std::vector<std::string> found;
        for (const ldns_rr* rr : records) {
            if (ldns_rr_rd_count(rr) < 1)
                continue;
            const detail::CStringPtr text(ldns_rdf2str(ldns_rr_rdf(rr, 0)));
            if (text)
                found.emplace_back(text.get());
        }
        std::sort(found.begin(), found.end());
        addresses.insert(addresses.end(), found.begin(), found.end());
    }
    return addresses;
}

// IANA's root hints (named.root): the IPv4 address of each of a.root-servers.net through
// m.root-servers.net. Used when the profile asks for discovery by delegation without naming
// root servers of its own.
constexpr std::array<std::string_view, 13> k_root_servers{
    "198.41.0.4",   "170.247.170.2", "192.33.4.12",   "199.7.91.13",   "192.203.230.10",
    "192.5.5.241",  "192.112.36.4",  "198.97.190.53", "192.36.148.17", "192.58.128.30",
    "193.0.14.129", "199.7.83.42",   "202.12.27.33"};

// A chain of referrals is short (root, TLD, maybe a registry level, the zone); the bound only
// stops a server that keeps referring sideways.
constexpr int k_max_referrals = 16;

// The NS set of the closest zone cut below `zone` that holds `fqdn`, from the authority
// section of a referral; empty when the reply is not a referral towards `fqdn`.
std::pair<std::string, std::vector<std::string>>
referral_of(const ldns_pkt* reply, const ldns_rdf* fqdn, const ldns_rdf* zone) {
    const ldns_rr_list* authority = ldns_pkt_authority(reply);
    for (std::size_t i = 0; authority != nullptr && i < ldns_rr_list_rr_count(authority); ++i) {
        const ldns_rr* rr = ldns_rr_list_rr(authority, i);
        const ldns_rdf* cut = ldns_rr_owner(rr);
        if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_NS || !is_same_or_below(fqdn, cut) ||
            !ldns_dname_is_subdomain(cut, zone))
            continue;
        std::vector<std::string> hosts;
        for (const ldns_rr* ns : detail::records_at(authority, cut, LDNS_RR_TYPE_NS)) {
            if (ldns_rr_rd_count(ns) >= 1)
                hosts.push_back(detail::dname_to_string(ldns_rr_rdf(ns, 0)));
        }
        std::sort(hosts.begin(), hosts.end());
        hosts.erase(std::unique(hosts.begin(), hosts.end()), hosts.end());
        return {detail::dname_to_string(cut), hosts};
    }
    return {};
}

// The SOA owner in the answer or authority section that `fqdn` is at or below.
std::optional<std::string> soa_owner(const ldns_pkt* reply, const ldns_rdf* fqdn) {
    for (const ldns_rr_list* section : {ldns_pkt_answer(reply), ldns_pkt_authority(reply)}) {
        for (std::size_t i = 0; section != nullptr && i < ldns_rr_list_rr_count(section); ++i) {
            const ldns_rr* rr = ldns_rr_list_rr(section, i);
            if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_SOA &&
                is_same_or_below(fqdn, ldns_rr_owner(rr)))
                return detail::dname_to_string(ldns_rr_owner(rr));
        }
    }
    return std::nullopt;
}

} // namespace

void Discovery::use_delegation(std::vector<ServerAddress> roots) {
    if (roots.empty()) {
        for (const auto address : k_root_servers)
            roots.push_back(ServerAddress{std::string(address), 53});
    }
    m_roots = std::move(roots);
}

Result<Discovery::Delegation> Discovery::follow_delegation(const std::string& fqdn) const {
    const std::string name = detail::absolute_name(fqdn);
    const std::string context = "delegation of " + name;
    WILDCERT_TRY(auto name_rdf, detail::make_dname(name));
    // Only name servers without glue need a resolver; without any, those fail by themselves.
    auto known = this->resolvers();
    const auto resolvers = known ? std::move(known).value() : std::vector<ServerAddress>{};
    Delegation current{".", {}};
    for (const auto& root : *m_roots)
        current.servers.push_back(AuthoritativeServer{"root", root});
    for (int step = 0; step < k_max_referrals; ++step) {
        WILDCERT_TRY(auto zone_rdf, detail::make_dname(current.zone));
        // The first server of the zone that answers at all decides; the others are asked only
        // when it is silent (they serve the same zone).
        std::string problems;
        PacketPtr reply;
        const AuthoritativeServer* answering = nullptr;
        for (const auto& server : current.servers) {
            auto asked =
                m_asker->ask(server.address, name, LDNS_RR_TYPE_SOA, false, m_query_timeout);
            if (asked && ldns_pkt_get_rcode(asked->get()) != LDNS_RCODE_REFUSED &&
                ldns_pkt_get_rcode(asked->get()) != LDNS_RCODE_SERVFAIL) {
                reply = std::move(asked).value();
                answering = &server;
                break;
            }
            problems += (problems.empty() ? "" : "; ") +
                        (asked ? server.address.to_string() + ": " +
                                     rcode_name(static_cast<int>(ldns_pkt_get_rcode(asked->get())))
                               : asked.error().message);
        }
        if (!reply)
            return make_error(ErrorKind::dns, context + ": no server of " + current.zone +
                                                  " answered (" + problems + ")");
        if (ldns_pkt_aa(reply.get())) {
            // The servers of this zone answer for the name themselves: it lives here, or in a
            // child zone the same servers also serve (then its SOA says so).
            const auto apex = soa_owner(reply.get(), name_rdf.get()).value_or(current.zone);
            if (apex == current.zone)
                return current;
            Discovery below(std::vector<ServerAddress>{answering->address}, m_query_timeout,
                            m_asker);
            below.set_warning_sink(m_warn);
            WILDCERT_TRY(auto servers, below.authoritative_servers(apex));
            return Delegation{apex, std::move(servers)};
        }
        auto [cut, hosts] = referral_of(reply.get(), name_rdf.get(), zone_rdf.get());
        if (hosts.empty())
            return make_error(ErrorKind::dns, context + ": " + answering->name + " (" +
                                                  answering->address.to_string() +
                                                  ") gave neither an answer nor a referral "
                                                  "(lame for " +
                                                  current.zone + ")");
        Delegation next{cut, {}};
        const ldns_pkt* referral = reply.get();
        WILDCERT_TRY(next.servers, bounded_servers(cut, hosts, [&](const std::string& host) {
                         return addresses_of(*m_asker, resolvers, host, referral, m_query_timeout);
                     }));
        if (next.servers.empty())
            return make_error(ErrorKind::dns,
                              context + ": no address for any name server of " + cut);
        current = std::move(next);
    }
    return make_error(ErrorKind::dns,
                      context + ": more than " + std::to_string(k_max_referrals) + " referrals");
}

Discovery::Discovery(std::vector<ServerAddress> resolvers, std::chrono::milliseconds query_timeout,
                     std::shared_ptr<const detail::Asker> asker)
    : m_resolvers(std::move(resolvers)),
      m_asker(asker ? std::move(asker) : detail::network_asker()), m_query_timeout(query_timeout) {}

void Discovery::set_warning_sink(std::function<void(const std::string&)> sink) {
    m_warn = std::move(sink);
}

Result<std::vector<AuthoritativeServer>>
Discovery::bounded_servers(const std::string& zone, std::vector<std::string> hosts,
                           const AddressLookup& addresses_of) const {
    const std::size_t all_hosts = hosts.size();
    if (hosts.size() > k_max_nameservers)
        hosts.resize(k_max_nameservers); // only these are asked for addresses at all
    std::size_t cut_hosts = 0;
    std::vector<AuthoritativeServer> servers;
    for (const auto& host : hosts) {
        WILDCERT_TRY(auto addresses, addresses_of(host));
        if (addresses.size() > k_max_nameserver_addresses) {
            addresses.resize(k_max_nameserver_addresses);
            ++cut_hosts;
        }
        for (auto& address : addresses) {
            // Discovered servers are asked on the standard port (RFC 1035 §4.2).
            servers.push_back(AuthoritativeServer{host, ServerAddress{std::move(address), 53}});
        }
    }
    if (m_warn && (all_hosts > hosts.size() || cut_hosts > 0)) {
        std::string line = "dns: zone " + zone + ": ";
        if (all_hosts > hosts.size())
            line += std::to_string(all_hosts) + " name servers, only the first " +
                    std::to_string(k_max_nameservers) + " by name are checked";
        if (cut_hosts > 0)
            line += std::string(all_hosts > hosts.size() ? "; " : "") + std::to_string(cut_hosts) +
                    " name server(s) with more than " + std::to_string(k_max_nameserver_addresses) +
                    " addresses, only the first " + std::to_string(k_max_nameserver_addresses) +
                    " of each are checked";
        m_warn(line + " (a bound that keeps the propagation check within its timeout)");
    }
    return servers;
}

Result<std::vector<ServerAddress>> Discovery::resolvers() const {
    if (!m_resolvers.empty())
        return m_resolvers;
    return system_resolvers();
}

Result<std::string> Discovery::follow_cname(const std::string& fqdn) const {
    WILDCERT_TRY(const auto resolvers, this->resolvers());
    std::vector<std::string> chain{detail::absolute_name(fqdn)};
    for (;;) {
        const std::string& name = chain.back();
        WILDCERT_TRY(auto owner, detail::make_dname(name));
        auto reply = ask_resolvers(*m_asker, resolvers, name, LDNS_RR_TYPE_CNAME, m_query_timeout);
        if (!reply)
            return reply.error().with_context("CNAME of " + chain.front());
        const auto aliases =
            detail::records_at(ldns_pkt_answer(reply->get()), owner.get(), LDNS_RR_TYPE_CNAME);
        if (aliases.empty() || ldns_rr_rd_count(aliases.front()) < 1)
            return name;
        std::string target = detail::dname_to_string(ldns_rr_rdf(aliases.front(), 0));
        std::string shown;
        for (const auto& link : chain)
            shown += link + " -> ";
        shown += target;
        if (std::find(chain.begin(), chain.end(), target) != chain.end())
            return make_error(ErrorKind::dns, "CNAME loop: " + shown);
        if (static_cast<int>(chain.size()) > k_max_cname_chain)
            return make_error(ErrorKind::dns, "CNAME chain longer than " +
                                                  std::to_string(k_max_cname_chain) +
                                                  " links: " + shown);
        chain.push_back(std::move(target));
    }
}

Result<std::string> Discovery::find_zone_apex(const std::string& fqdn) const {
    if (m_roots) {
        WILDCERT_TRY(auto delegation, follow_delegation(fqdn));
        return std::move(delegation.zone);
    }
    const std::string start = detail::absolute_name(fqdn);
    WILDCERT_TRY(auto start_rdf, detail::make_dname(start));
    WILDCERT_TRY(const auto resolvers, this->resolvers());
    std::string name = start;
    for (int step = 0; step < k_max_labels; ++step) {
        WILDCERT_TRY(auto owner, detail::make_dname(name));
        auto reply = ask_resolvers(*m_asker, resolvers, name, LDNS_RR_TYPE_SOA, m_query_timeout);
        if (!reply)
            return reply.error().with_context("zone apex of " + start);
        const ldns_pkt* packet = reply->get();
        if (!detail::records_at(ldns_pkt_answer(packet), owner.get(), LDNS_RR_TYPE_SOA).empty())
            return name;
        // A CNAME at the name means it lives in the parent's zone, and the authority section
        // then describes the target's zone: skip it.
        const bool aliased =
            !detail::records_at(ldns_pkt_answer(packet), owner.get(), LDNS_RR_TYPE_CNAME).empty();
        // RFC 2308 §2.1/§2.2: negative answers carry the zone's SOA in the authority section.
        const ldns_rr_list* authority = ldns_pkt_authority(packet);
        for (std::size_t i = 0;
             !aliased && authority != nullptr && i < ldns_rr_list_rr_count(authority); ++i) {
            const ldns_rr* rr = ldns_rr_list_rr(authority, i);
            if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_SOA &&
                is_same_or_below(start_rdf.get(), ldns_rr_owner(rr)))
                return detail::dname_to_string(ldns_rr_owner(rr));
        }
        if (name == ".")
            break;
        name = parent_of(name);
    }
    return make_error(ErrorKind::dns, "zone apex of " + start + ": no SOA record found at " +
                                          "the name or any parent");
}

Result<std::vector<AuthoritativeServer>>
Discovery::authoritative_servers(const std::string& zone) const {
    if (m_roots) {
        WILDCERT_TRY(auto delegation, follow_delegation(zone));
        return std::move(delegation.servers);
    }
    const std::string apex = detail::absolute_name(zone);
    const std::string context = "authoritative servers of " + apex;
    WILDCERT_TRY(auto owner, detail::make_dname(apex));
    WILDCERT_TRY(const auto resolvers, this->resolvers());
    auto reply = ask_resolvers(*m_asker, resolvers, apex, LDNS_RR_TYPE_NS, m_query_timeout);
    if (!reply)
        return reply.error().with_context(context);
    std::vector<std::string> hosts;
    for (const ldns_rr* rr :
         detail::records_at(ldns_pkt_answer(reply->get()), owner.get(), LDNS_RR_TYPE_NS)) {
        if (ldns_rr_rd_count(rr) >= 1)
            hosts.push_back(detail::dname_to_string(ldns_rr_rdf(rr, 0)));
    }
    std::sort(hosts.begin(), hosts.end());
    hosts.erase(std::unique(hosts.begin(), hosts.end()), hosts.end());
    if (hosts.empty())
        return make_error(ErrorKind::dns,
                          context + ": the zone has no NS records (" +
                              rcode_name(static_cast<int>(ldns_pkt_get_rcode(reply->get()))) + ")");
    const ldns_pkt* answer = reply->get();
    WILDCERT_TRY(auto servers,
                 bounded_servers(apex, std::move(hosts), [&](const std::string& host) {
                     return addresses_of(*m_asker, resolvers, host, answer, m_query_timeout);
                 }));
    if (servers.empty())
        return make_error(ErrorKind::dns, context + ": no address (A or AAAA) found for " +
                                              "any of its name servers");
    return servers;
}

} // namespace wildcert::dns
