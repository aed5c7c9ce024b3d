// The ACME part of the issuance pipeline alone (core/order_stages.hpp, docs/dev/architecture.md
// "The parts"): an AcmeSession, a scratch state directory and the in-process mock CA, stage by
// stage. No client, no DNS provider and no DNS server: the order stages need none of them.
#include <doctest/doctest.h>

#include "temp_dir.hpp"
#include "tests/mock_acme/mock_acme.hpp"

#include "core/certificate_installer.hpp"
#include "core/order_stages.hpp"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <string>
#include <vector>

using namespace wildcert;
namespace fs = std::filesystem;

namespace {

CertificateSettings certificate(std::string name, std::vector<std::string> domains) {
    CertificateSettings settings;
    settings.name = std::move(name);
    settings.domains = std::move(domains);
    settings.origin = "test";
    return settings;
}

// The dns-01 challenge of every authorization, as the plan stage would give it (the record
// itself is never looked at by the order stages).
void plan_without_dns(core::OrderWork& work) {
    for (const auto& authorization : work.authorizations) {
        if (authorization.status == AcmeStatus::valid)
            continue;
        const auto* challenge = authorization.challenge("dns-01");
        REQUIRE(challenge != nullptr);
        const auto owner = "_acme-challenge." + authorization.identifier + ".";
        work.challenges.push_back(core::PendingChallenge{
            .identifier = (authorization.wildcard ? "*." : "") + authorization.identifier,
            .authorization_url = authorization.url,
            .challenge_url = challenge->url,
            .validation_name = owner,
            .record = TxtRecord{"example.test.", owner, "value", std::chrono::seconds(60)},
        });
    }
}

struct OrderFixture {
    explicit OrderFixture(mock_acme::Script script = {}) : ca(std::move(script)) {
        REQUIRE(ca.start().ok());
        acme.directory_url = ca.directory_url();
        acme.accept_terms = true;
        auto created = session.ensure_account(acme, state_dir, log, {});
        REQUIRE_MESSAGE(created.ok(), created.error().message);
    }

    core::OrderStages stages(std::size_t concurrency = 2) {
        return core::OrderStages({.session = session,
                                  .state_dir = state_dir,
                                  .log = log,
                                  .sink = {},
                                  .cancelled = [this] { return cancelled.load(); },
                                  .audit =
                                      [this](const core::AuditEvent& event) {
                                          events.push_back(event.event + " " + event.certificate);
                                      },
                                  .concurrency = concurrency});
    }
    core::CertificateInstaller installer() {
        return core::CertificateInstaller({.target = state_dir,
                                           .scratch = false,
                                           .profile_path = scratch.path() / "profile.toml",
                                           .log = log,
                                           .audit = {}});
    }
    bool logged(const std::string& text) const {
        return std::any_of(lines.begin(), lines.end(), [&](const std::string& line) {
            return line.find(text) != std::string::npos;
        });
    }

    mock_acme::MockAcme ca;
    test::TempDir scratch;
    store::StateDir state_dir = std::move(store::StateDir::open(scratch.path() / "state").value());
    AcmeSettings acme;
    std::vector<std::string> lines;
    core::ProgressLog log{[this](LogLevel, std::string_view line) { lines.emplace_back(line); }};
    core::AcmeSession session{http::Options{}, acme::RetryPolicy{}};
    std::atomic<bool> cancelled{false};
    std::vector<std::string> events; // touched on the workers: one per order, read after
};

std::vector<core::OrderWork> works_for(const std::vector<CertificateSettings>& certificates) {
    std::vector<core::OrderWork> works;
    for (const auto& settings : certificates)
        works.push_back(core::OrderWork{&settings, {}, {}, {}, std::nullopt});
    return works;
}

} // namespace

TEST_CASE("order stages: place, answer, validate and finalize against the CA, stage by stage") {
    OrderFixture fixture;
    const std::vector<CertificateSettings> certificates{
        certificate("wild", {"*.example.test", "example.test"}),
        certificate("www", {"www.example.test"}),
    };
    auto works = works_for(certificates);
    auto stages = fixture.stages();

    stages.place(works);
    REQUIRE_FALSE(works[0].failure);
    REQUIRE_FALSE(works[1].failure);
    CHECK(works[0].authorizations.size() == 2);
    CHECK(works[1].authorizations.size() == 1);
    CHECK(fixture.ca.requests_to("/new-order").size() == 2);
    // Nothing is answered before the answer stage.
    CHECK(fixture.ca.requests_to("/chall").empty());

    for (auto& work : works)
        plan_without_dns(work);
    stages.answer(works);
    CHECK(fixture.ca.requests_to("/chall").size() == 3);
    CHECK(fixture.logged("acme: answered 3 challenge(s)"));

    stages.validate(works);
    REQUIRE_FALSE(works[0].failure);
    REQUIRE_FALSE(works[1].failure);
    CHECK(fixture.logged("acme: every authorization of wild is valid"));
    CHECK(fixture.ca.requests_to("/finalize").empty());

    auto results = stages.finalize(works, fixture.installer());
    REQUIRE(results.size() == 2);
    REQUIRE_MESSAGE(results[0].ok(), results[0].error().message);
    REQUIRE_MESSAGE(results[1].ok(), results[1].error().message);
    CHECK(results[0]->certificate.domains == certificates[0].domains);
    CHECK(results[0]->reused_authorizations.empty());
    CHECK(fs::exists(results[1]->certificate.live_dir / "fullchain.pem"));
    CHECK(fixture.ca.issued().size() == 2);
    std::sort(fixture.events.begin(), fixture.events.end());
    CHECK(fixture.events == std::vector<std::string>{"order-placed wild", "order-placed www"});
    CHECK(fixture.ca.jws_rejections() == 0);
}

TEST_CASE("order stages: a work that failed before keeps its failure and sends nothing") {
    OrderFixture fixture;
    const std::vector<CertificateSettings> certificates{certificate("a", {"a.example.test"}),
                                                        certificate("b", {"b.example.test"})};
    auto works = works_for(certificates);
    works[1].failure = Error{ErrorKind::refused, "zone refused by the provider"};
    auto stages = fixture.stages();
    stages.place(works);
    CHECK(fixture.ca.requests_to("/new-order").size() == 1);
    for (auto& work : works)
        plan_without_dns(work);
    stages.answer(works);
    stages.validate(works);
    auto results = stages.finalize(works, fixture.installer());
    REQUIRE(results[0].ok());
    REQUIRE_FALSE(results[1].ok());
    CHECK(results[1].error().kind == ErrorKind::refused);
    CHECK(results[1].error().message == "zone refused by the provider");
    CHECK(fixture.ca.issued().size() == 1);
}

TEST_CASE("order stages: the CA's invalid verdict fails that order at validate, not later") {
    mock_acme::Script script;
    script.authz_final = "invalid";
    script.authz_error_json =
        R"({"type":"urn:ietf:params:acme:error:unauthorized","detail":"no TXT record"})";
    OrderFixture fixture(script);
    const std::vector<CertificateSettings> certificates{certificate("a", {"a.example.test"})};
    auto works = works_for(certificates);
    auto stages = fixture.stages(1);
    stages.place(works);
    plan_without_dns(works[0]);
    stages.answer(works);
    stages.validate(works);
    REQUIRE(works[0].failure);
    CHECK(works[0].failure->message.find("no TXT record") != std::string::npos);
    const auto results = stages.finalize(works, fixture.installer());
    REQUIRE_FALSE(results[0].ok());
    CHECK(fixture.ca.requests_to("/finalize").empty());
}

TEST_CASE("order stages: cancelled before finalizing, no order is finalized") {
    OrderFixture fixture;
    const std::vector<CertificateSettings> certificates{certificate("a", {"a.example.test"})};
    auto works = works_for(certificates);
    auto stages = fixture.stages();
    stages.place(works);
    plan_without_dns(works[0]);
    stages.answer(works);
    stages.validate(works);
    fixture.cancelled = true;
    const auto results = stages.finalize(works, fixture.installer());
    REQUIRE_FALSE(results[0].ok());
    CHECK(results[0].error().kind == ErrorKind::interrupted);
    CHECK(fixture.ca.requests_to("/finalize").empty());
}
