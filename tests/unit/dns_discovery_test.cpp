// Discovery (zone apex walk, NS addresses, CNAME chains) and the propagation check's per-server
// judgement, against a fake DNS that answers from zone tables the way an authoritative server
// (or a resolver) would. No network.

#include "core/challenge_records.hpp"
#include "dns/asker.hpp"
#include "dns/discovery.hpp"
#include "dns/propagation.hpp"

#include <doctest/doctest.h>

#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

using namespace wildcert;
using namespace wildcert::dns;

namespace {

struct FakeZone {
    std::string apex; // "demo.test."
    std::vector<detail::RrPtr> records;
    bool authoritative = true;    // sets AA; false: a lame server (or a resolver)
    bool soa_in_negatives = true; // RFC 2308: negative answers carry the SOA
};

// Answers questions from zones per server address, like BIND with recursion off: the
// closest enclosing zone answers; a CNAME at the name is returned, not chased.
class FakeDns final : public detail::Asker {
public:
    FakeZone& zone(const std::string& server, const std::string& apex,
                   const std::vector<std::string>& lines) {
        FakeZone zone{apex, {}, true, true};
        for (const auto& line : lines) {
            ldns_rr* rr = nullptr;
            REQUIRE(ldns_rr_new_frm_str(&rr, line.c_str(), 60, nullptr, nullptr) == LDNS_STATUS_OK);
            zone.records.emplace_back(rr);
        }
        auto& zones = m_servers[server];
        zones.push_back(std::move(zone));
        return zones.back();
    }
    void silence(const std::string& server) { m_silent.push_back(server); }
    // Servers without zones never answer: each question waits its whole timeout (as a real
    // one would), instead of a quick REFUSED.
    void hang_unknown_servers() { m_hang_unknown = true; }
    std::size_t questions() const {
        const std::lock_guard lock(m_mutex);
        return m_questions.size();
    }
    std::vector<std::string> asked_names() const {
        const std::lock_guard lock(m_mutex);
        return m_questions;
    }

    Result<detail::PacketPtr> ask(const ServerAddress& server, std::string_view name,
                                  ldns_rr_type type, bool,
                                  std::chrono::milliseconds timeout) const override {
        {
            const std::lock_guard lock(m_mutex);
            m_questions.push_back(std::string(name) + "/" + std::to_string(type));
        }
        const auto address = server.to_string();
        if (std::find(m_silent.begin(), m_silent.end(), address) != m_silent.end())
            return make_error(ErrorKind::dns, "DNS server " + address + ": no answer within 1s");
        detail::PacketPtr reply(ldns_pkt_new());
        ldns_pkt_set_qr(reply.get(), true);
        const auto found = m_servers.find(address);
        if (found == m_servers.end() && m_hang_unknown) {
            std::this_thread::sleep_for(timeout);
            return make_error(ErrorKind::dns, "DNS server " + address + ": no answer");
        }
        const FakeZone* zone = found == m_servers.end() ? nullptr : closest(found->second, name);
        if (zone == nullptr) {
            ldns_pkt_set_rcode(reply.get(), LDNS_RCODE_REFUSED);
            return reply;
        }
        auto owner = detail::make_dname(name); // asked from worker threads: no REQUIRE here
        if (!owner.ok())
            return owner.error();
        if (refer(*zone, owner->get(), reply.get()))
            return reply;
        ldns_pkt_set_aa(reply.get(), zone->authoritative);
        bool name_exists = false;
        const ldns_rr* cname = nullptr;
        for (const auto& rr : zone->records) {
            const ldns_rdf* rr_owner = ldns_rr_owner(rr.get());
            if (ldns_dname_compare(rr_owner, owner->get()) == 0) {
                name_exists = true;
                if (ldns_rr_get_type(rr.get()) == type)
                    ldns_pkt_push_rr(reply.get(), LDNS_SECTION_ANSWER, ldns_rr_clone(rr.get()));
                else if (ldns_rr_get_type(rr.get()) == LDNS_RR_TYPE_CNAME)
                    cname = rr.get();
            } else if (ldns_dname_is_subdomain(rr_owner, owner->get())) {
                name_exists = true; // an empty non-terminal
            }
        }
        if (ldns_pkt_ancount(reply.get()) > 0)
            return reply;
        if (cname != nullptr) {
            ldns_pkt_push_rr(reply.get(), LDNS_SECTION_ANSWER, ldns_rr_clone(cname));
            return reply;
        }
        if (!name_exists)
            ldns_pkt_set_rcode(reply.get(), LDNS_RCODE_NXDOMAIN);
        if (zone->soa_in_negatives) {
            for (const auto& rr : zone->records) {
                if (ldns_rr_get_type(rr.get()) == LDNS_RR_TYPE_SOA)
                    ldns_pkt_push_rr(reply.get(), LDNS_SECTION_AUTHORITY, ldns_rr_clone(rr.get()));
            }
        }
        return reply;
    }

private:
    // NS records below the apex are a zone cut: a name at or below it gets a referral (no AA,
    // the NS set in authority, glue in additional), as from a parent zone (RFC 1034 §4.3.2).
    static bool refer(const FakeZone& zone, const ldns_rdf* name, ldns_pkt* reply) {
        auto apex = detail::make_dname(zone.apex);
        for (const auto& rr : zone.records) {
            const ldns_rdf* cut = ldns_rr_owner(rr.get());
            if (ldns_rr_get_type(rr.get()) != LDNS_RR_TYPE_NS ||
                ldns_dname_compare(cut, apex->get()) == 0 ||
                !(ldns_dname_compare(name, cut) == 0 || ldns_dname_is_subdomain(name, cut)))
                continue;
            for (const auto& ns : zone.records) {
                if (ldns_rr_get_type(ns.get()) != LDNS_RR_TYPE_NS ||
                    ldns_dname_compare(ldns_rr_owner(ns.get()), cut) != 0)
                    continue;
                ldns_pkt_push_rr(reply, LDNS_SECTION_AUTHORITY, ldns_rr_clone(ns.get()));
                for (const auto& glue : zone.records) {
                    const auto type = ldns_rr_get_type(glue.get());
                    if ((type == LDNS_RR_TYPE_A || type == LDNS_RR_TYPE_AAAA) &&
                        ldns_dname_compare(ldns_rr_owner(glue.get()), ldns_rr_rdf(ns.get(), 0)) ==
                            0)
                        ldns_pkt_push_rr(reply, LDNS_SECTION_ADDITIONAL, ldns_rr_clone(glue.get()));
                }
            }
            return true;
        }
        return false;
    }

    static const FakeZone* closest(const std::vector<FakeZone>& zones, std::string_view name) {
        auto owner = detail::make_dname(name);
        const FakeZone* best = nullptr;
        std::size_t best_labels = 0;
        for (const auto& zone : zones) {
            auto apex = detail::make_dname(zone.apex);
            const bool inside = ldns_dname_compare(owner->get(), apex->get()) == 0 ||
                                ldns_dname_is_subdomain(owner->get(), apex->get());
            const std::size_t labels = ldns_dname_label_count(apex->get());
            if (inside && (best == nullptr || labels > best_labels)) {
                best = &zone;
                best_labels = labels;
            }
        }
        return best;
    }

    std::map<std::string, std::vector<FakeZone>> m_servers;
    std::vector<std::string> m_silent;
    bool m_hang_unknown = false;
    mutable std::mutex m_mutex;
    mutable std::vector<std::string> m_questions;
};

const std::string k_resolver = "127.0.0.1:53";

std::vector<std::string> demo_zone(int serial, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> lines{
        "demo.test. 60 IN SOA ns1.demo.test. admin.demo.test. " + std::to_string(serial) +
            " 3600 600 86400 60",
        "demo.test. 60 IN NS ns1.demo.test.",
        "demo.test. 60 IN NS ns2.demo.test.",
        "ns1.demo.test. 60 IN A 127.0.0.2",
        "ns2.demo.test. 60 IN A 127.0.0.3",
        "ns2.demo.test. 60 IN AAAA ::2",
        "www.demo.test. 60 IN A 127.0.0.10",
    };
    lines.insert(lines.end(), extra.begin(), extra.end());
    return lines;
}

Discovery discovery_over(const std::shared_ptr<FakeDns>& fake) {
    return Discovery({ServerAddress{"127.0.0.1", 53}}, std::chrono::seconds(1), fake);
}

} // namespace

TEST_CASE("discovery: the zone apex comes from the SOA in a negative answer") {
    auto fake = std::make_shared<FakeDns>();
    fake->zone(k_resolver, "demo.test.", demo_zone(1));
    fake->zone(k_resolver, "sub.demo.test.",
               {"sub.demo.test. 60 IN SOA ns1.demo.test. admin.demo.test. 1 3600 600 86400 60"});
    const auto discovery = discovery_over(fake);
    CHECK(discovery.find_zone_apex("_acme-challenge.www.demo.test").value() == "demo.test.");
    CHECK(discovery.find_zone_apex("_acme-challenge.x.sub.demo.test.").value() == "sub.demo.test.");
    CHECK(discovery.find_zone_apex("demo.test.").value() == "demo.test.");
}

TEST_CASE("discovery: without SOA in negative answers the walk climbs label by label") {
    auto fake = std::make_shared<FakeDns>();
    fake->zone(k_resolver, "demo.test.", demo_zone(1)).soa_in_negatives = false;
    const auto discovery = discovery_over(fake);
    CHECK(discovery.find_zone_apex("_acme-challenge.a.b.demo.test.").value() == "demo.test.");
    // _acme-challenge.a.b, a.b, b, then demo.test itself: one SOA question per label.
    CHECK(fake->questions() == 4);
}

TEST_CASE("discovery: a zone nobody serves is an error naming the name") {
    auto fake = std::make_shared<FakeDns>();
    const auto discovery = discovery_over(fake);
    const auto apex = discovery.find_zone_apex("_acme-challenge.nowhere.test.");
    REQUIRE_FALSE(apex.ok());
    CHECK(apex.error().message.find("_acme-challenge.nowhere.test.") != std::string::npos);
}

TEST_CASE("discovery: every address of every NS, in a stable order") {
    auto fake = std::make_shared<FakeDns>();
    fake->zone(k_resolver, "demo.test.", demo_zone(1));
    const auto servers = discovery_over(fake).authoritative_servers("demo.test").value();
    REQUIRE(servers.size() == 3);
    CHECK(servers[0].name == "ns1.demo.test.");
    CHECK(servers[0].address == ServerAddress{"127.0.0.2", 53});
    CHECK(servers[1].address == ServerAddress{"127.0.0.3", 53});
    CHECK(servers[2].address == ServerAddress{"::2", 53});
}

TEST_CASE("discovery: follow_cname returns the end of the chain") {
    auto fake = std::make_shared<FakeDns>();
    fake->zone(k_resolver, "demo.test.",
               demo_zone(1, {"_acme-challenge.www.demo.test. 60 IN CNAME hop.demo.test.",
                             "hop.demo.test. 60 IN CNAME www.validation.test."}));
    fake->zone(k_resolver, "validation.test.",
               {"validation.test. 60 IN SOA ns.validation.test. a.validation.test. 1 1 1 1 1"});
    const auto discovery = discovery_over(fake);
    CHECK(discovery.follow_cname("_acme-challenge.www.demo.test").value() ==
          "www.validation.test.");
    // No CNAME: the name itself.
    CHECK(discovery.follow_cname("_acme-challenge.demo.test.").value() ==
          "_acme-challenge.demo.test.");
}

TEST_CASE("CNAME lookup: no resolver in reach is a warning only with propagation_check none") {
    auto fake = std::make_shared<FakeDns>();
    fake->zone(k_resolver, "demo.test.", demo_zone(1, {}));
    fake->silence(k_resolver);
    const auto discovery = discovery_over(fake);
    const std::string name = "_acme-challenge.www.demo.test.";
    // Silence everywhere: ErrorKind::network, which the core may forgive.
    const auto silent = discovery.follow_cname(name);
    REQUIRE_FALSE(silent.ok());
    CHECK(silent.error().kind == ErrorKind::network);

    DnsSettings settings;
    std::vector<std::string> warnings;
    const auto warn = [&](const std::string& line) { warnings.push_back(line); };
    core::ZoneFinder strict(discovery, core::cname_lookup(settings, warn));
    CHECK_FALSE(strict.alias_target(name).ok());
    CHECK(warnings.empty());

    settings.propagation_check = PropagationCheck::none;
    core::ZoneFinder lenient(discovery, core::cname_lookup(settings, warn));
    CHECK(lenient.alias_target(name).value() == name);
    CHECK(lenient.alias_target(name).value() == name); // remembered: one warning
    REQUIRE(warnings.size() == 1);
    CHECK(warnings[0].starts_with("dns: warning: "));
    CHECK(warnings[0].find("publishing at " + name) != std::string::npos);

    // follow_cname = false: no question at all.
    const auto asked = fake->questions();
    settings.follow_cname = false;
    settings.propagation_check = PropagationCheck::authoritative;
    core::ZoneFinder off(discovery, core::cname_lookup(settings, warn));
    CHECK(off.alias_target(name).value() == name);
    CHECK(fake->questions() == asked);
}

TEST_CASE("CNAME lookup: a resolver that answers with an error stays fatal") {
    auto fake = std::make_shared<FakeDns>();
    // Serves another zone only: REFUSED for demo.test.
    fake->zone("127.0.0.9:53", "other.test.",
               {"other.test. 60 IN SOA ns.other.test. a.other.test. 1 1 1 1 1"});
    const Discovery discovery({ServerAddress{"127.0.0.9", 53}}, std::chrono::milliseconds(100),
                              fake);
    const auto refused = discovery.follow_cname("_acme-challenge.demo.test.");
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().kind == ErrorKind::dns);
    DnsSettings settings;
    settings.propagation_check = PropagationCheck::none;
    core::ZoneFinder zones(discovery, core::cname_lookup(settings, {}));
    CHECK_FALSE(zones.alias_target("_acme-challenge.demo.test.").ok());
}

TEST_CASE("zone finder: a TLD or the root as the closest zone is an error, never a zone") {
    auto fake = std::make_shared<FakeDns>();
    fake->zone(k_resolver, "demo.test.", demo_zone(1));
    fake->zone(k_resolver, "test.", {"test. 60 IN SOA ns1.test. admin.test. 1 3600 600 86400 60"});
    fake->zone("127.0.0.8:53", ".", {". 60 IN SOA a.root. admin.root. 1 3600 600 86400 60"});
    const auto discovery = discovery_over(fake);
    core::ZoneFinder zones(discovery);
    CHECK(zones.zone_of("_acme-challenge.demo.test.").value() == "demo.test.");
    // Misspelt: discovery finds test. (the SOA of the NXDOMAIN), which must not be updated.
    const auto typo = zones.zone_of("_acme-challenge.dmeo.test.");
    REQUIRE_FALSE(typo.ok());
    CHECK(typo.error().kind == ErrorKind::dns);
    CHECK(typo.error().message.find("the closest zone of _acme-challenge.dmeo.test. is test., a "
                                    "top-level domain, which wildcert never updates") !=
          std::string::npos);
    CHECK(typo.error().message.find("Check its spelling") != std::string::npos);
    const Discovery at_root({ServerAddress{"127.0.0.8", 53}}, std::chrono::seconds(1), fake);
    core::ZoneFinder root_zones(at_root);
    const auto root = root_zones.zone_of("_acme-challenge.nowhere.invalid.");
    REQUIRE_FALSE(root.ok());
    CHECK(root.error().message.find("is ., the root zone") != std::string::npos);
}

TEST_CASE("discovery: CNAME loops and overlong chains are errors that show the chain") {
    auto fake = std::make_shared<FakeDns>();
    std::vector<std::string> links{
        "_acme-challenge.loop.demo.test. 60 IN CNAME a.demo.test.",
        "a.demo.test. 60 IN CNAME b.demo.test.",
        "b.demo.test. 60 IN CNAME _acme-challenge.loop.demo.test.",
        "self.demo.test. 60 IN CNAME self.demo.test.",
    };
    for (int i = 0; i < 12; ++i)
        links.push_back("long" + std::to_string(i) + ".demo.test. 60 IN CNAME long" +
                        std::to_string(i + 1) + ".demo.test.");
    fake->zone(k_resolver, "demo.test.", demo_zone(1, links));
    const auto discovery = discovery_over(fake);

    const auto loop = discovery.follow_cname("_acme-challenge.loop.demo.test.");
    REQUIRE_FALSE(loop.ok());
    CHECK(loop.error().message ==
          "CNAME loop: _acme-challenge.loop.demo.test. -> a.demo.test. -> b.demo.test. -> "
          "_acme-challenge.loop.demo.test.");
    const auto self = discovery.follow_cname("self.demo.test.");
    REQUIRE_FALSE(self.ok());
    CHECK(self.error().message.starts_with("CNAME loop: self.demo.test. -> self.demo.test."));
    const auto chain = discovery.follow_cname("long0.demo.test.");
    REQUIRE_FALSE(chain.ok());
    CHECK(chain.error().message.starts_with("CNAME chain longer than 8 links"));
    // Bounded: the chain stops after k_max_cname_chain + 1 questions.
    CHECK(fake->questions() <= 3 + 1 + 10);
}

namespace {

const std::string k_value_a = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const std::string k_value_b = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

std::vector<std::string> with_values(int serial, const std::vector<std::string>& values) {
    std::vector<std::string> extra;
    for (const auto& value : values)
        extra.push_back("_acme-challenge.demo.test. 60 IN TXT \"" + value + "\"");
    return demo_zone(serial, extra);
}

PropagationTarget demo_target(std::vector<AuthoritativeServer> servers) {
    return PropagationTarget{
        "_acme-challenge.demo.test.", "demo.test.", {k_value_a, k_value_b}, std::move(servers)};
}

const AuthoritativeServer k_ns1{"ns1.demo.test.", ServerAddress{"127.0.0.2", 53}};
const AuthoritativeServer k_ns2{"ns2.demo.test.", ServerAddress{"127.0.0.3", 53}};

PropagationOptions fake_options(const std::shared_ptr<FakeDns>& fake,
                                std::chrono::milliseconds timeout) {
    PropagationOptions options;
    options.asker = fake;
    options.timeout = timeout;
    options.interval = std::chrono::milliseconds(10);
    return options;
}

} // namespace

TEST_CASE("propagation: servers that agree end the wait in one round, and queries are counted") {
    auto fake = std::make_shared<FakeDns>();
    fake->zone("127.0.0.2:53", "demo.test.", with_values(7, {k_value_a, k_value_b}));
    fake->zone("127.0.0.3:53", "demo.test.", with_values(7, {k_value_b, k_value_a, "other"}));
    const auto stats = wait_for_propagation({demo_target({k_ns1, k_ns2})},
                                            fake_options(fake, std::chrono::seconds(5)));
    REQUIRE(stats.ok());
    CHECK(stats->rounds == 1);
    CHECK(stats->queries == 2);
    CHECK(fake->questions() == 2);
}

TEST_CASE("propagation: a lagging secondary is reported with both SOA serials") {
    auto fake = std::make_shared<FakeDns>();
    fake->zone("127.0.0.2:53", "demo.test.", with_values(7, {k_value_a, k_value_b}));
    fake->zone("127.0.0.3:53", "demo.test.", with_values(6, {}));
    const auto result = wait_for_propagation({demo_target({k_ns1, k_ns2})},
                                             fake_options(fake, std::chrono::milliseconds(0)));
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().kind == ErrorKind::timeout);
    const auto& message = result.error().message;
    CHECK(message.find("_acme-challenge.demo.test. at ns2.demo.test. (127.0.0.3:53): NXDOMAIN "
                       "(lacks \"" +
                       k_value_a + "\", \"" + k_value_b + "\"); zone demo.test. serial 6") !=
          std::string::npos);
    CHECK(message.find("zone demo.test. serials: ns1.demo.test. (127.0.0.2:53) serial 7, "
                       "ns2.demo.test. (127.0.0.3:53) serial 6") != std::string::npos);
    // ns1 served everything: it is in the serials line only.
    CHECK(message.find("at ns1.demo.test.") == std::string::npos);
}

TEST_CASE("propagation: lame, refusing and silent servers are each named with their address") {
    auto fake = std::make_shared<FakeDns>();
    fake->zone("127.0.0.2:53", "demo.test.", with_values(7, {k_value_a, k_value_b})).authoritative =
        false;
    fake->zone("127.0.0.3:53", "other.test.", {}); // REFUSED for demo.test
    fake->silence("127.0.0.4:53");
    const AuthoritativeServer ns3{"ns3.demo.test.", ServerAddress{"127.0.0.4", 53}};
    const auto result = wait_for_propagation({demo_target({k_ns1, k_ns2, ns3})},
                                             fake_options(fake, std::chrono::milliseconds(0)));
    REQUIRE_FALSE(result.ok());
    const auto& message = result.error().message;
    CHECK(message.find("at ns1.demo.test. (127.0.0.2:53): not authoritative for the name (lame "
                       "delegation)") != std::string::npos);
    CHECK(message.find("at ns2.demo.test. (127.0.0.3:53): REFUSED") != std::string::npos);
    CHECK(message.find("at ns3.demo.test. (127.0.0.4:53): no answer within 1s") !=
          std::string::npos);
    CHECK(message.find("(3 of 3 checks failing") != std::string::npos);
}

TEST_CASE("propagation: a resolver checked as well needs no AA bit") {
    auto fake = std::make_shared<FakeDns>();
    fake->zone("127.0.0.2:53", "demo.test.", with_values(7, {k_value_a, k_value_b}));
    fake->zone(k_resolver, "demo.test.", with_values(7, {k_value_a, k_value_b})).authoritative =
        false;
    const AuthoritativeServer resolver{"resolver", ServerAddress{"127.0.0.1", 53}, true};
    const auto stats = wait_for_propagation({demo_target({k_ns1, resolver})},
                                            fake_options(fake, std::chrono::seconds(1)));
    CHECK(stats.ok());
}

TEST_CASE("discovery by delegation: referrals from the root lead past a private view") {
    auto fake = std::make_shared<FakeDns>();
    // The public tree: a root that delegates test., which delegates demo.test. to ns1/ns2.
    fake->zone("127.0.0.9:53", ".",
               {". 60 IN SOA root. admin. 1 1 1 1 1", ". 60 IN NS root.", "test. 60 IN NS ns.test.",
                "ns.test. 60 IN A 127.0.0.8"});
    fake->zone("127.0.0.8:53", "test.",
               {"test. 60 IN SOA ns.test. admin.test. 1 1 1 1 1", "test. 60 IN NS ns.test.",
                "demo.test. 60 IN NS ns1.demo.test.", "demo.test. 60 IN NS ns2.demo.test.",
                "ns1.demo.test. 60 IN A 127.0.0.2", "ns2.demo.test. 60 IN A 127.0.0.3"});
    fake->zone("127.0.0.2:53", "demo.test.", demo_zone(1));
    fake->zone("127.0.0.3:53", "demo.test.", demo_zone(1));
    // The local resolver serves a private demo.test. whose only server is an internal one.
    fake->zone(k_resolver, "demo.test.",
               {"demo.test. 60 IN SOA internal.demo.test. admin.demo.test. 1 1 1 1 1",
                "demo.test. 60 IN NS internal.demo.test.", "internal.demo.test. 60 IN A 10.1.1.1"});

    auto through_resolver = discovery_over(fake);
    const auto private_view = through_resolver.authoritative_servers("demo.test.").value();
    REQUIRE(private_view.size() == 1);
    CHECK(private_view[0].address == ServerAddress{"10.1.1.1", 53});

    const auto mark = fake->questions();
    auto public_view = discovery_over(fake);
    public_view.use_delegation({ServerAddress{"127.0.0.9", 53}});
    CHECK(public_view.find_zone_apex("_acme-challenge.www.demo.test.").value() == "demo.test.");
    const auto servers = public_view.authoritative_servers("demo.test.").value();
    REQUIRE(servers.size() == 2);
    CHECK(servers[0].name == "ns1.demo.test.");
    CHECK(servers[0].address == ServerAddress{"127.0.0.2", 53});
    CHECK(servers[1].address == ServerAddress{"127.0.0.3", 53});
    // The resolver was never asked: a private view cannot leak into the public answer.
    const auto asked = fake->asked_names();
    for (auto question = asked.begin() + static_cast<std::ptrdiff_t>(mark); question != asked.end();
         ++question)
        CHECK(question->find("internal") == std::string::npos);
}

TEST_CASE("discovery by delegation: a server that neither answers nor refers is named") {
    auto fake = std::make_shared<FakeDns>();
    fake->zone("127.0.0.9:53", ".",
               {". 60 IN SOA root. admin. 1 1 1 1 1", "test. 60 IN NS ns.test.",
                "ns.test. 60 IN A 127.0.0.8"});
    fake->zone("127.0.0.8:53", "test.", {"test. 60 IN SOA ns.test. admin.test. 1 1 1 1 1"})
        .authoritative = false;
    auto discovery = discovery_over(fake);
    discovery.use_delegation({ServerAddress{"127.0.0.9", 53}});
    const auto apex = discovery.find_zone_apex("_acme-challenge.demo.test.");
    REQUIRE_FALSE(apex.ok());
    CHECK(apex.error().message.find("ns.test. (127.0.0.8:53) gave neither an answer nor a "
                                    "referral") != std::string::npos);
}

namespace {

// big.test: 200 name servers of 20 addresses each (no glue: each is asked for A and AAAA).
std::shared_ptr<FakeDns> big_zone() {
    auto fake = std::make_shared<FakeDns>();
    std::vector<std::string> lines{
        "big.test. 60 IN SOA ns000.big.test. admin.big.test. 1 3600 600 86400 60"};
    for (int n = 0; n < 200; ++n) {
        const std::string number = std::to_string(1000 + n).substr(1);
        const std::string host = "ns" + number + ".big.test.";
        lines.push_back("big.test. 60 IN NS " + host);
        for (int a = 0; a < 20; ++a)
            lines.push_back(host + " 60 IN A 10." + std::to_string(n) + "." +
                            std::to_string(a + 1) + ".1");
    }
    fake->zone(k_resolver, "big.test.", lines);
    fake->hang_unknown_servers();
    return fake;
}

} // namespace

TEST_CASE("discovery: a zone of 200 name servers x 20 addresses is cut to 16 x 4, with a warning") {
    auto fake = big_zone();
    auto discovery = discovery_over(fake);
    std::vector<std::string> warnings;
    discovery.set_warning_sink([&](const std::string& line) { warnings.push_back(line); });
    const auto servers = discovery.authoritative_servers("big.test.");
    REQUIRE(servers.ok());
    REQUIRE(servers->size() == 16 * 4);
    CHECK(servers->front().name == "ns000.big.test.");
    CHECK(servers->back().name == "ns015.big.test.");
    CHECK(servers->front().address == ServerAddress{"10.0.1.1", 53});
    // One NS question, then A and AAAA of the 16 kept name servers only.
    CHECK(fake->questions() == 1 + 16 * 2);
    REQUIRE(warnings.size() == 1);
    CHECK(warnings[0] == "dns: zone big.test.: 200 name servers, only the first 16 by name are "
                         "checked; 16 name server(s) with more than 4 addresses, only the first 4 "
                         "of each are checked (a bound that keeps the propagation check within "
                         "its timeout)");
}

TEST_CASE("propagation: the timeout holds however many servers a round has left to ask") {
    auto fake = big_zone();
    const auto servers = discovery_over(fake).authoritative_servers("big.test.");
    REQUIRE(servers.ok());
    // 64 silent servers, 16 asked at a time, each question waiting 500 ms: one round alone
    // would take 2 s, and the SOA serials for the report 2 s more.
    auto options = fake_options(fake, std::chrono::milliseconds(500));
    options.query_timeout = std::chrono::milliseconds(500);
    const auto started = std::chrono::steady_clock::now();
    const auto result = wait_for_propagation(
        {PropagationTarget{"_acme-challenge.big.test.", "big.test.", {k_value_a}, *servers}},
        options);
    const auto took = std::chrono::steady_clock::now() - started;
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().kind == ErrorKind::timeout);
    // timeout + one query timeout = 1 s; the margin is for a loaded machine.
    CHECK(took < std::chrono::milliseconds(1600));
    const auto& message = result.error().message;
    CHECK(message.find("(64 of 64 checks failing") != std::string::npos);
    // The checks a round had no time left for are named as such.
    CHECK(message.find("at ns015.big.test. (10.15.1.1:53): not asked within the timeout") !=
          std::string::npos);
}
