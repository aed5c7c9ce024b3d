// CAA (RFC 8659, RFC 8657): the relevant record set, found by climbing through a fake resolver,
// and its judgement for a CA and an account. No network.

#include "core/caa_identities.hpp"
#include "dns/asker.hpp"
#include "dns/caa.hpp"
#include "dns/question.hpp"

#include <wildcert/profile.hpp>

#include <doctest/doctest.h>

#include "error_text.hpp"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <vector>

using namespace wildcert;
using namespace wildcert::dns;

using wildcert::test::without_column;

namespace {

// A resolver that answers from one table of records. A CNAME at the name is returned without
// its target (the lookup must ask for the target itself); names in `failing` get SERVFAIL.
class FakeResolver final : public detail::Asker {
public:
    explicit FakeResolver(const std::vector<std::string>& lines) {
        for (const auto& line : lines) {
            ldns_rr* rr = nullptr;
            REQUIRE(ldns_rr_new_frm_str(&rr, line.c_str(), 60, nullptr, nullptr) == LDNS_STATUS_OK);
            m_records.emplace_back(rr);
        }
    }
    std::vector<std::string> failing;

    std::vector<std::string> asked() const {
        const std::lock_guard lock(m_mutex);
        return m_asked;
    }

    Result<detail::PacketPtr> ask(const ServerAddress&, std::string_view name, ldns_rr_type type,
                                  bool, std::chrono::milliseconds) const override {
        {
            const std::lock_guard lock(m_mutex);
            m_asked.emplace_back(name);
        }
        detail::PacketPtr reply(ldns_pkt_new());
        ldns_pkt_set_qr(reply.get(), true);
        if (std::find(failing.begin(), failing.end(), std::string(name)) != failing.end()) {
            ldns_pkt_set_rcode(reply.get(), LDNS_RCODE_SERVFAIL);
            return reply;
        }
        auto owner = detail::make_dname(name);
        if (!owner.ok())
            return owner.error();
        bool exists = false;
        const ldns_rr* cname = nullptr;
        for (const auto& rr : m_records) {
            const ldns_rdf* rr_owner = ldns_rr_owner(rr.get());
            if (ldns_dname_compare(rr_owner, owner->get()) == 0) {
                exists = true;
                if (ldns_rr_get_type(rr.get()) == type)
                    ldns_pkt_push_rr(reply.get(), LDNS_SECTION_ANSWER, ldns_rr_clone(rr.get()));
                else if (ldns_rr_get_type(rr.get()) == LDNS_RR_TYPE_CNAME)
                    cname = rr.get();
            } else if (ldns_dname_is_subdomain(rr_owner, owner->get())) {
                exists = true;
            }
        }
        if (ldns_pkt_ancount(reply.get()) == 0 && cname != nullptr)
            ldns_pkt_push_rr(reply.get(), LDNS_SECTION_ANSWER, ldns_rr_clone(cname));
        if (!exists)
            ldns_pkt_set_rcode(reply.get(), LDNS_RCODE_NXDOMAIN);
        return reply;
    }

private:
    std::vector<detail::RrPtr> m_records;
    mutable std::mutex m_mutex;
    mutable std::vector<std::string> m_asked;
};

CaaSet lookup(const std::shared_ptr<FakeResolver>& resolver, const std::string& domain) {
    const CaaLookup caa({ServerAddress{"192.0.2.53", 53}}, std::chrono::seconds(1), resolver);
    auto set = caa.relevant_set(domain);
    REQUIRE(set.ok());
    return std::move(set).value();
}

CaaVerdict judge(const std::vector<std::string>& lines, const std::string& domain,
                 const CaaIssuer& issuer = {{"ca.test"}, ""}) {
    const auto resolver = std::make_shared<FakeResolver>(lines);
    return evaluate_caa(lookup(resolver, domain), domain, issuer);
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

} // namespace

TEST_CASE("caa: the closest non-empty set wins, climbing up to but not including the root") {
    const auto resolver = std::make_shared<FakeResolver>(std::vector<std::string>{
        "demo.test. CAA 0 issue \"ca.test\"",
        "www.demo.test. A 192.0.2.1",
    });
    const auto set = lookup(resolver, "a.b.www.demo.test");
    CHECK(set.owner == "demo.test.");
    REQUIRE(set.records.size() == 1);
    CHECK(set.records[0].flags == 0);
    CHECK(set.records[0].tag == "issue");
    CHECK(set.records[0].value == "ca.test");
    CHECK(resolver->asked() == std::vector<std::string>{"a.b.www.demo.test.", "b.www.demo.test.",
                                                        "www.demo.test.", "demo.test."});

    const auto none = std::make_shared<FakeResolver>(std::vector<std::string>{
        "demo.test. A 192.0.2.1",
    });
    const auto empty = lookup(none, "www.demo.test");
    CHECK(empty.records.empty());
    CHECK(empty.owner.empty());
    const auto asked = none->asked();
    CHECK(std::find(asked.begin(), asked.end(), ".") == asked.end());
    CHECK(asked.back() == "test.");
    CHECK(evaluate_caa(empty, "www.demo.test", {{"ca.test"}, ""}).outcome == CaaOutcome::allowed);
}

TEST_CASE("caa: a subdomain's own set shadows the parent's") {
    const auto verdict = judge(
        {"demo.test. CAA 0 issue \"ca.test\"", "www.demo.test. CAA 0 issue \"other.example\""},
        "www.demo.test");
    CHECK(verdict.outcome == CaaOutcome::forbidden);
    CHECK(contains(verdict.detail, "CAA at www.demo.test."));
    CHECK(contains(verdict.detail, "0 issue \"other.example\""));
    CHECK(judge({"demo.test. CAA 0 issue \"ca.test\"",
                 "www.demo.test. CAA 0 issue \"other.example\""},
                "demo.test")
              .outcome == CaaOutcome::allowed);
}

TEST_CASE("caa: CNAMEs are followed like a normal lookup; the climb stays on the name") {
    const auto resolver = std::make_shared<FakeResolver>(std::vector<std::string>{
        "www.demo.test. CNAME cdn.provider.example.",
        "cdn.provider.example. CAA 0 issue \"other.example\"",
        "demo.test. CAA 0 issue \"ca.test\"",
    });
    const auto set = lookup(resolver, "www.demo.test");
    CHECK(set.owner == "www.demo.test.");
    REQUIRE(set.records.size() == 1);
    CHECK(set.records[0].value == "other.example");

    // The target has no CAA: the climb continues at demo.test., not at provider.example.
    const auto bare = std::make_shared<FakeResolver>(std::vector<std::string>{
        "www.demo.test. CNAME cdn.provider.example.",
        "cdn.provider.example. A 192.0.2.7",
        "provider.example. CAA 0 issue \"other.example\"",
        "demo.test. CAA 0 issue \"ca.test\"",
    });
    CHECK(lookup(bare, "www.demo.test").owner == "demo.test.");
}

TEST_CASE("caa: issuewild governs wildcards when present, issue otherwise") {
    const std::vector<std::string> split{"demo.test. CAA 0 issue \"ca.test\"",
                                         "demo.test. CAA 0 issuewild \"other.example\""};
    CHECK(judge(split, "demo.test").outcome == CaaOutcome::allowed);
    const auto wild = judge(split, "*.demo.test");
    CHECK(wild.outcome == CaaOutcome::forbidden);
    CHECK(contains(wild.detail, "issuewild \"other.example\""));

    // issuewild never applies to a non-wildcard name.
    CHECK(judge({"demo.test. CAA 0 issuewild \"ca.test\""}, "demo.test").outcome ==
          CaaOutcome::allowed);
    CHECK(judge({"demo.test. CAA 0 issue \"other.example\"",
                 "demo.test. CAA 0 issuewild \"ca.test\""},
                "demo.test")
              .outcome == CaaOutcome::forbidden);
    // Without issuewild, issue governs the wildcard too.
    CHECK(judge({"demo.test. CAA 0 issue \"other.example\""}, "*.demo.test").outcome ==
          CaaOutcome::forbidden);
    CHECK(judge({"demo.test. CAA 0 issue \"ca.test\""}, "*.demo.test").outcome ==
          CaaOutcome::allowed);
}

TEST_CASE("caa: issuer domains compare case-insensitively, and properties are additive") {
    CHECK(judge({"demo.test. CAA 0 issue \"CA.Test\""}, "demo.test").outcome ==
          CaaOutcome::allowed);
    CHECK(judge({"demo.test. CAA 0 ISSUE \"ca.test\""}, "demo.test").outcome ==
          CaaOutcome::allowed);
    CHECK(judge({"demo.test. CAA 0 issue \"ca.test\""}, "demo.test", {{"CA.TEST."}, ""}).outcome ==
          CaaOutcome::allowed);
    // An empty issuer next to a naming one: the naming one still authorises.
    CHECK(judge({"demo.test. CAA 0 issue \";\"", "demo.test. CAA 0 issue \"ca.test\""}, "demo.test")
              .outcome == CaaOutcome::allowed);
}

TEST_CASE("caa: an empty issue \";\" forbids every CA, even one we cannot name") {
    const auto verdict = judge({"demo.test. CAA 0 issue \";\""}, "demo.test");
    CHECK(verdict.outcome == CaaOutcome::forbidden);
    CHECK(contains(verdict.detail, "empty issuer"));
    CHECK(judge({"demo.test. CAA 0 issue \";\""}, "demo.test", {{}, ""}).outcome ==
          CaaOutcome::forbidden);
    // A value that does not match the grammar counts as an empty issuer (RFC 8659 §4.2).
    CHECK(judge({"demo.test. CAA 0 issue \"ca.test; no-equals-sign\""}, "demo.test").outcome ==
          CaaOutcome::forbidden);
    CHECK(judge({"demo.test. CAA 0 issue \"not a domain\""}, "demo.test").outcome ==
          CaaOutcome::forbidden);
}

TEST_CASE("caa: a critical property with an unknown tag forbids; a non-critical one does not") {
    const auto critical = judge(
        {"demo.test. CAA 0 issue \"ca.test\"", "demo.test. CAA 128 tbs \"unknown\""}, "demo.test");
    CHECK(critical.outcome == CaaOutcome::forbidden);
    CHECK(contains(critical.detail, "128 tbs"));
    CHECK(judge({"demo.test. CAA 0 issue \"ca.test\"", "demo.test. CAA 0 tbs \"unknown\""},
                "demo.test")
              .outcome == CaaOutcome::allowed);
    // Critical, but a tag CAs know.
    CHECK(judge({"demo.test. CAA 128 issue \"ca.test\""}, "demo.test").outcome ==
          CaaOutcome::allowed);
    // A set of only iodef does not restrict.
    CHECK(judge({"demo.test. CAA 0 iodef \"mailto:sec@demo.test\""}, "demo.test").outcome ==
          CaaOutcome::allowed);
}

TEST_CASE("caa: parameters; validationmethods must list dns-01 (RFC 8657 §4)") {
    CHECK(judge({"demo.test. CAA 0 issue \"ca.test; validationmethods=dns-01\""}, "demo.test")
              .outcome == CaaOutcome::allowed);
    CHECK(
        judge({"demo.test. CAA 0 issue \"ca.test;validationmethods=http-01,dns-01\""}, "demo.test")
            .outcome == CaaOutcome::allowed);
    CHECK(judge({"demo.test. CAA 0 issue \"ca.test; policy=ev ; validationmethods = dns-01\""},
                "demo.test")
              .outcome == CaaOutcome::allowed);
    const auto http_only =
        judge({"demo.test. CAA 0 issue \"ca.test; validationmethods=http-01\""}, "demo.test");
    CHECK(http_only.outcome == CaaOutcome::forbidden);
    CHECK(contains(http_only.detail, "does not include dns-01"));
    // An unknown parameter is ignored.
    CHECK(judge({"demo.test. CAA 0 issue \"ca.test; somethingelse=1\""}, "demo.test").outcome ==
          CaaOutcome::allowed);
}

TEST_CASE("caa: accounturi must be the stored account; unknown account warns (RFC 8657 §3)") {
    const std::vector<std::string> bound{
        "demo.test. CAA 0 issue \"ca.test; accounturi=https://ca.test/acct/1\""};
    CHECK(judge(bound, "demo.test", {{"ca.test"}, "https://ca.test/acct/1"}).outcome ==
          CaaOutcome::allowed);
    const auto other = judge(bound, "demo.test", {{"ca.test"}, "https://ca.test/acct/2"});
    CHECK(other.outcome == CaaOutcome::forbidden);
    CHECK(contains(other.detail, "https://ca.test/acct/2"));
    const auto unknown = judge(bound, "demo.test", {{"ca.test"}, ""});
    CHECK(unknown.outcome == CaaOutcome::uncertain);
    CHECK(contains(unknown.detail, "accounturi"));
    CHECK(judge({"demo.test. CAA 0 issue \"ca.test; accounturi=https://ca.test/acct/1; "
                 "accounturi=https://ca.test/acct/2\""},
                "demo.test", {{"ca.test"}, "https://ca.test/acct/1"})
              .outcome == CaaOutcome::forbidden);
}

TEST_CASE("caa: no known identity is a warning unless the set forbids everyone") {
    const auto verdict = judge({"demo.test. CAA 0 issue \"ca.test\""}, "demo.test", {{}, ""});
    CHECK(verdict.outcome == CaaOutcome::uncertain);
    CHECK(contains(verdict.detail, "cannot tell which issuer domain this CA uses"));
}

TEST_CASE("caa: a resolver failure is an error, not an empty set") {
    auto resolver = std::make_shared<FakeResolver>(std::vector<std::string>{
        "demo.test. CAA 0 issue \"ca.test\"",
    });
    resolver->failing.push_back("www.demo.test.");
    const CaaLookup caa({ServerAddress{"192.0.2.53", 53}}, std::chrono::seconds(1), resolver);
    const auto set = caa.relevant_set("www.demo.test");
    REQUIRE_FALSE(set.ok());
    CHECK(contains(set.error().message, "SERVFAIL"));
}

TEST_CASE("caa: the CA's identity: profile, else directory meta, else a known CA's host") {
    using core::choose_caa_identities;
    using core::known_caa_identity;
    CHECK(known_caa_identity("https://acme-v02.api.letsencrypt.org/directory") ==
          "letsencrypt.org");
    CHECK(known_caa_identity("https://acme-staging-v02.api.letsencrypt.org/directory") ==
          "letsencrypt.org");
    CHECK(known_caa_identity("https://acme.zerossl.com/v2/DV90") == "sectigo.com");
    CHECK(known_caa_identity("https://dv.acme-v02.api.pki.goog/directory") == "pki.goog");
    CHECK(known_caa_identity("https://api.buypass.com/acme/directory") == "buypass.com");
    CHECK(known_caa_identity("https://acme-api.actalis.com/acme/directory") == "actalis.it");
    // A suffix only counts at a label boundary.
    CHECK(known_caa_identity("https://notletsencrypt.org/directory").empty());
    CHECK(known_caa_identity("https://127.0.0.1:14000/dir").empty());

    const auto configured = choose_caa_identities({"ca.test"}, {"meta.test"},
                                                  "https://acme-v02.api.letsencrypt.org/dir");
    CHECK(configured.names == std::vector<std::string>{"ca.test"});
    CHECK(configured.source == "acme.caa_identities");
    const auto meta =
        choose_caa_identities({}, {"meta.test"}, "https://acme-v02.api.letsencrypt.org/dir");
    CHECK(meta.names == std::vector<std::string>{"meta.test"});
    CHECK(choose_caa_identities({}, {}, "https://acme-v02.api.letsencrypt.org/dir").names ==
          std::vector<std::string>{"letsencrypt.org"});
    CHECK(choose_caa_identities({}, {}, "https://127.0.0.1:14000/dir").names.empty());
}

TEST_CASE("caa: [acme] caa_identities is an array of issuer domain names") {
    const auto dir = std::filesystem::temp_directory_path() /
                     ("wildcert-caa-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto load = [&](const std::string& identities) {
        const auto path = dir / "profile.toml";
        std::ofstream(path) << "[acme]\n"
                               "directory = \"https://ca.test/dir\"\n"
                               "caa_identities = "
                            << identities
                            << "\n[dns]\nprovider = \"rfc2136\"\n[[certificate]]\nname = "
                               "\"a\"\ndomains = [\"a.example\"]\n";
        return load_profile(path);
    };
    const auto good = load("[\"CA.Test\", \"other.example\"]");
    REQUIRE_MESSAGE(good.ok(), (good.ok() ? "" : good.error().message));
    CHECK(good->acme.caa_identities == std::vector<std::string>{"ca.test", "other.example"});
    const auto wildcard = load("[\"ca.test\", \"*.ca.test\"]");
    REQUIRE_FALSE(wildcard.ok());
    CHECK(wildcard.error().kind == ErrorKind::profile);
    CHECK(contains(without_column(wildcard.error().message),
                   "profile.toml:3: acme.caa_identities[2]: "));
    const auto not_array = load("\"ca.test\"");
    REQUIRE_FALSE(not_array.ok());
    CHECK(contains(not_array.error().message, "acme.caa_identities"));
    std::filesystem::remove_all(dir);
}
