// Unit tests for publishing and removing challenge records zone by zone with the cleanup
// journal (core/record_publishing.hpp), against an in-memory provider that refuses changes the
// way an RFC 2136 update-policy does: the whole call or nothing.
#include "core/record_publishing.hpp"

#include <doctest/doctest.h>

#include "temp_dir.hpp"

#include <algorithm>
#include <set>
#include <string>
#include <vector>

using namespace wildcert;
using wildcert::core::publish_by_zone;
using wildcert::core::remove_by_zone;
using wildcert::store::CleanupJournal;

namespace {

TxtRecord txt(const std::string& zone, const std::string& fqdn, const std::string& value) {
    return TxtRecord{zone, fqdn, value, std::chrono::seconds(60)};
}

// Serves what was added. A call that touches an owner in `refused` changes nothing and fails
// with ErrorKind::refused; with `down` every call fails with ErrorKind::network.
class PolicyProvider final : public DnsProvider {
public:
    std::set<std::string> refused;
    bool down = false;
    std::vector<TxtRecord> served;
    std::vector<std::string> calls; // "add 3", "remove 1", ...

    Result<void> add(std::span<const TxtRecord> records) override {
        WILDCERT_CHECK(allowed("add", records));
        for (const auto& record : records) {
            if (std::find(served.begin(), served.end(), record) == served.end())
                served.push_back(record);
        }
        return {};
    }
    Result<void> remove(std::span<const TxtRecord> records) override {
        WILDCERT_CHECK(allowed("remove", records));
        for (const auto& record : records)
            served.erase(std::remove(served.begin(), served.end(), record), served.end());
        return {};
    }

private:
    Result<void> allowed(const std::string& operation, std::span<const TxtRecord> records) {
        calls.push_back(operation + " " + std::to_string(records.size()));
        if (down)
            return make_error(ErrorKind::network, "update of zone: timeout");
        for (const auto& record : records) {
            if (refused.count(record.fqdn) != 0)
                return make_error(ErrorKind::refused,
                                  "REFUSED: check allow-update or update-policy");
        }
        return {};
    }
};

struct Fixture {
    wildcert::test::TempDir scratch;
    CleanupJournal journal = std::move(
        CleanupJournal::open(store::Folder::open_root(scratch.path()).value(), "profile").value());
    PolicyProvider provider;
    std::vector<std::string> lines;
    core::RecordEvents events{.changed = {},
                              .info = [this](const std::string& line) { lines.push_back(line); }};

    std::vector<TxtRecord> pending() { return journal.pending().value(); }
};

const TxtRecord wildcard = txt("pol.test.", "_acme-challenge.pol.test.", "wildcard");
const TxtRecord apex = txt("pol.test.", "_acme-challenge.pol.test.", "apex");
const TxtRecord mail = txt("pol.test.", "_acme-challenge.mail.pol.test.", "mail");
const TxtRecord other = txt("other.test.", "_acme-challenge.other.test.", "other");

} // namespace

TEST_SUITE("record publishing") {
    TEST_CASE("a zone refused as a whole is added again certificate by certificate") {
        Fixture f;
        f.provider.refused = {mail.fqdn};
        const auto publication =
            publish_by_zone(f.provider, f.journal, {{wildcard, apex}, {mail}, {other}}, f.events);
        REQUIRE(publication.failures.size() == 3);
        CHECK_FALSE(publication.failures[0]);
        REQUIRE(publication.failures[1]);
        CHECK(publication.failures[1]->kind == ErrorKind::refused);
        const auto& message = publication.failures[1]->message;
        CHECK(message.find("adding _acme-challenge.mail.pol.test. (zone pol.test.)") !=
              std::string::npos);
        CHECK(message.find("update-policy") != std::string::npos);
        CHECK_FALSE(publication.failures[2]); // another zone is not sunk by pol.test.
        CHECK(f.provider.calls == std::vector<std::string>{"add 1", "add 3", "add 2", "add 1"});
        CHECK(f.provider.served == std::vector<TxtRecord>{other, wildcard, apex});
        // What was refused never reached the server: not in the journal, not to be removed.
        CHECK(f.pending() == std::vector<TxtRecord>{other, wildcard, apex});
        CHECK(publication.added == std::vector<TxtRecord>{other, wildcard, apex});
        REQUIRE(f.lines.size() == 1);
        CHECK(f.lines[0].find("as a whole") != std::string::npos);
    }

    TEST_CASE("a refused certificate alone in its zone fails without a second try") {
        Fixture f;
        f.provider.refused = {mail.fqdn};
        const auto publication = publish_by_zone(f.provider, f.journal, {{mail}}, f.events);
        REQUIRE(publication.failures[0]);
        CHECK(f.provider.calls == std::vector<std::string>{"add 1"});
        CHECK(f.pending().empty());
        CHECK(publication.added.empty());
    }

    TEST_CASE("a record another certificate added is not withdrawn with a refused one") {
        // Two orders may share one authorization, hence one record.
        Fixture f;
        f.provider.refused = {mail.fqdn};
        const auto publication =
            publish_by_zone(f.provider, f.journal, {{apex}, {apex, mail}}, f.events);
        CHECK_FALSE(publication.failures[0]);
        CHECK(publication.failures[1]);
        CHECK(f.provider.served == std::vector<TxtRecord>{apex});
        CHECK(f.pending() == std::vector<TxtRecord>{apex});
        CHECK(publication.added == std::vector<TxtRecord>{apex});
    }

    TEST_CASE("a failure that may have changed something keeps the journal") {
        Fixture f;
        f.provider.down = true;
        const auto publication =
            publish_by_zone(f.provider, f.journal, {{wildcard, apex}, {mail}}, f.events);
        CHECK(publication.failures[0]);
        CHECK(publication.failures[1]);
        CHECK(f.provider.calls == std::vector<std::string>{"add 3"}); // no retry one by one
        CHECK(f.pending() == std::vector<TxtRecord>{wildcard, apex, mail});
        CHECK(publication.added == std::vector<TxtRecord>{wildcard, apex, mail});
    }

    TEST_CASE("a certificate that failed in one zone is left out of the next") {
        Fixture f;
        f.provider.refused = {other.fqdn};
        const auto both = txt("pol.test.", "_acme-challenge.both.pol.test.", "both");
        const auto publication =
            publish_by_zone(f.provider, f.journal, {{other, both}, {apex}}, f.events);
        CHECK(publication.failures[0]);
        CHECK_FALSE(publication.failures[1]);
        CHECK(f.provider.served == std::vector<TxtRecord>{apex});
    }

    TEST_CASE("one stuck record does not keep the others of its zone") {
        Fixture f;
        const std::vector<TxtRecord> all{wildcard, mail, other};
        REQUIRE(f.journal.record(all).ok());
        REQUIRE(f.provider.add(all).ok());
        f.provider.refused = {mail.fqdn};
        f.provider.calls.clear();
        const auto outcomes = remove_by_zone(f.provider, f.journal, all, f.events);
        REQUIRE(outcomes.size() == 3);
        CHECK(outcomes[0].record == wildcard);
        CHECK_FALSE(outcomes[0].failure);
        REQUIRE(outcomes[1].failure);
        CHECK(outcomes[1].failure->kind == ErrorKind::refused);
        CHECK_FALSE(outcomes[2].failure);
        CHECK(f.provider.calls ==
              std::vector<std::string>{"remove 1", "remove 2", "remove 1", "remove 1"});
        CHECK(f.provider.served == std::vector<TxtRecord>{mail});
        CHECK(f.pending() == std::vector<TxtRecord>{mail}); // stays for a later run
        const auto stuck = core::describe_stuck(outcomes);
        CHECK(stuck.find("1 record(s) could not be removed: _acme-challenge.mail.pol.test. TXT "
                         "\"mail\" (zone pol.test.): REFUSED") == 0);
    }

    TEST_CASE("a removal that times out is not tried again record by record") {
        Fixture f;
        const std::vector<TxtRecord> all{wildcard, apex};
        REQUIRE(f.journal.record(all).ok());
        f.provider.down = true;
        const auto outcomes = remove_by_zone(f.provider, f.journal, all, f.events);
        CHECK(f.provider.calls == std::vector<std::string>{"remove 2"});
        CHECK(std::all_of(outcomes.begin(), outcomes.end(),
                          [](const auto& outcome) { return outcome.failure.has_value(); }));
        CHECK(f.pending() == all);
    }

    TEST_CASE("every record removed: nothing stuck, the journal empty") {
        Fixture f;
        const std::vector<TxtRecord> all{wildcard, apex, wildcard};
        REQUIRE(f.journal.record(all).ok());
        const auto outcomes = remove_by_zone(f.provider, f.journal, all, f.events);
        CHECK(outcomes.size() == 2); // one outcome per distinct record
        CHECK(core::describe_stuck(outcomes).empty());
        CHECK(f.pending().empty());
    }
}
