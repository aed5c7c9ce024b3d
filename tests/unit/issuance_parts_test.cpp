// Unit tests for two parts of the issuance pipeline alone (docs/dev/architecture.md, "The
// parts"): the challenge publisher (core/challenge_publisher.hpp) with an in-memory provider,
// and the installer (core/certificate_installer.hpp) with a scratch state directory. Neither
// needs a client, a CA or a DNS server.
#include <doctest/doctest.h>

#include "temp_dir.hpp"

#include "core/certificate_installer.hpp"
#include "core/challenge_publisher.hpp"
#include "store/certificate_record.hpp"

#include <algorithm>
#include <string>
#include <vector>

using namespace wildcert;

namespace {

TxtRecord txt(const std::string& zone, const std::string& owner, const std::string& value) {
    return TxtRecord{zone, owner, value, std::chrono::seconds(60)};
}

// Serves what was added; refuses every call that touches `refused`, or every remove.
class MemoryProvider final : public DnsProvider {
public:
    std::string refused;
    bool removes_fail = false;
    std::vector<TxtRecord> served;

    Result<void> add(std::span<const TxtRecord> records) override {
        for (const auto& record : records) {
            if (record.fqdn == refused)
                return make_error(ErrorKind::refused, "REFUSED by update-policy");
        }
        served.insert(served.end(), records.begin(), records.end());
        return {};
    }
    Result<void> remove(std::span<const TxtRecord> records) override {
        if (removes_fail)
            return make_error(ErrorKind::network, "update: timeout");
        for (const auto& record : records)
            served.erase(std::remove(served.begin(), served.end(), record), served.end());
        return {};
    }
};

struct PublisherFixture {
    test::TempDir scratch;
    store::CleanupJournal journal = std::move(
        store::CleanupJournal::open(store::Folder::open_root(scratch.path()).value(), "profile")
            .value());
    MemoryProvider provider;
    DnsSettings dns;
    dns::Discovery discovery{{}};
    std::vector<std::string> lines;
    core::ProgressLog log{[this](LogLevel, std::string_view line) { lines.emplace_back(line); }};
    std::vector<std::string> events;
    core::ChallengePublisher publisher{{
        .provider = provider,
        .journal = journal,
        .dns = dns,
        .discovery = discovery,
        .log = log,
        .cancelled = {},
        .events = {.changed =
                       [this](const char* event, std::span<const TxtRecord> records,
                              const Result<void>& result) {
                           events.push_back(std::string(event) + " " +
                                            std::to_string(records.size()) +
                                            (result.ok() ? " ok" : " failed"));
                       },
                   .info = {}},
        .journal_dir = scratch.path() / "journal",
    }};

    bool logged(const std::string& text) const {
        return std::any_of(lines.begin(), lines.end(), [&](const std::string& line) {
            return line.find(text) != std::string::npos;
        });
    }
};

const TxtRecord web = txt("a.test.", "_acme-challenge.a.test.", "web");
const TxtRecord mail = txt("a.test.", "_acme-challenge.mail.a.test.", "mail");
const TxtRecord other = txt("b.test.", "_acme-challenge.b.test.", "other");

} // namespace

TEST_SUITE("issuance parts") {

    TEST_CASE("the publisher publishes, journals, reports and removes on its own") {
        PublisherFixture f;
        const auto publication = f.publisher.publish({{web}, {other}});
        CHECK_FALSE(publication.failures[0]);
        CHECK_FALSE(publication.failures[1]);
        CHECK(publication.added.size() == 2);
        CHECK(f.provider.served.size() == 2);
        CHECK(f.journal.pending().value().size() == 2);
        CHECK(f.logged("dns: published 2 TXT record(s) in a.test., b.test."));
        CHECK(f.events == std::vector<std::string>{"records-added 1 ok", "records-added 1 ok"});
        // Nothing to wait for is no wait (and no DNS query).
        CHECK(f.publisher.wait_until_served({}).ok());

        const auto removed = f.publisher.clean_up(publication.added);
        CHECK(removed.size() == 2);
        CHECK(f.provider.served.empty());
        CHECK(f.journal.pending().value().empty());
        CHECK(f.logged("dns: removed 2 TXT record(s)"));
        CHECK(f.publisher.clean_up({}).empty());
    }

    TEST_CASE("a refused zone fails its certificate; a stuck record stays in the journal") {
        PublisherFixture f;
        f.provider.refused = mail.fqdn;
        const auto publication = f.publisher.publish({{web}, {mail}});
        CHECK_FALSE(publication.failures[0]);
        REQUIRE(publication.failures[1]);
        CHECK(publication.failures[1]->kind == ErrorKind::refused);
        CHECK(f.logged("dns: published 1 TXT record(s) in a.test."));
        CHECK(f.journal.pending().value() == std::vector<TxtRecord>{web});

        f.provider.removes_fail = true;
        const auto removed = f.publisher.clean_up(publication.added);
        REQUIRE(removed.size() == 1);
        CHECK(removed[0].failure);
        CHECK(f.journal.pending().value() == std::vector<TxtRecord>{web});
        CHECK(f.logged("the next run retries"));
        CHECK(f.logged((f.scratch.path() / "journal").string()));
    }

    TEST_CASE("the installer installs a version with its record, reports and audits it") {
        const test::TempDir dir;
        const auto state = store::StateDir::open(dir.path() / "state");
        REQUIRE(state.ok());
        std::vector<std::string> lines;
        const core::ProgressLog log{
            [&](LogLevel, std::string_view line) { lines.emplace_back(line); }};
        std::vector<core::AuditEvent> audited;
        CertificateSettings certificate;
        certificate.name = "web";
        certificate.domains = {"*.a.test", "a.test"};
        core::CheckedChain checked;
        checked.files = {"key", "leaf", "chain", "leaf\nchain", ""};
        checked.leaf.serial_hex = "0a1b";
        checked.leaf.issuer_cn = "Test CA";
        checked.leaf.not_after = std::chrono::system_clock::time_point(std::chrono::hours(500000));
        acme::Directory directory;
        directory.url = "https://ca.test/dir";

        for (const bool scratch : {false, true}) {
            CAPTURE(scratch);
            lines.clear();
            audited.clear();
            const core::CertificateInstaller installer(
                {.target = *state,
                 .scratch = scratch,
                 .profile_path = dir.path() / "site.toml",
                 .log = log,
                 .audit = [&](const core::AuditEvent& event) { audited.push_back(event); }});
            const auto live = installer.install(certificate, checked, directory);
            REQUIRE(live.ok());
            CHECK(*live == state->live_dir("web"));
            const auto info = state->current_info("web");
            REQUIRE(info.ok());
            REQUIRE(*info);
            const auto record = store::parse_certificate_record(**info);
            REQUIRE(record);
            CHECK(record->domains == certificate.domains);
            CHECK(record->serial_hex == "0a1b");
            CHECK(record->issuer == "Test CA");
            CHECK(record->directory_url == "https://ca.test/dir");
            CHECK(record->profile == (dir.path() / "site.toml").string());
            CHECK(state->current_private_key("web").value() == "key");
            REQUIRE(lines.size() == 1);
            CHECK(lines[0] == (scratch ? "store: dry run: web checked; the test certificate is "
                                         "discarded at the end of the run"
                                       : "store: installed " + live->string()));
            REQUIRE(audited.size() == 1);
            CHECK(audited[0].event == "certificate-issued");
            CHECK(audited[0].serial_hex == "0a1b");
            CHECK(audited[0].detail ==
                  (scratch ? "dry run (test certificate discarded)" : live->string()));
        }
    }
}
