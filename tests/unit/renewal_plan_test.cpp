// Unit tests for the renew fast path: the certificate record and status files, and the
// local due decision (core/renewal_plan.hpp). No network, no clock: `now` is given.
#include "core/renewal_plan.hpp"
#include "store/certificate_record.hpp"

#include <doctest/doctest.h>

#include <filesystem>

namespace {

using namespace wildcert;
using Clock = std::chrono::system_clock;
using namespace std::chrono_literals;

constexpr std::int64_t k_issued = 1'800'000'000; // not_before
constexpr std::int64_t k_lifetime = 90 * 86'400; // 90 days

Clock::time_point at_day(double days) {
    return Clock::time_point(std::chrono::seconds(k_issued) +
                             std::chrono::seconds(static_cast<std::int64_t>(days * 86'400)));
}

CertificateSettings web() {
    CertificateSettings settings;
    settings.name = "web";
    settings.domains = {"*.example.com", "example.com"};
    settings.key = KeyType::ec_p256;
    return settings;
}

core::LocalCertificate current(std::vector<std::string> domains = {"example.com",
                                                                   "*.example.com"}) {
    store::CertificateRecord record;
    record.domains = std::move(domains);
    record.key_type = "ec-p256";
    record.not_before = k_issued;
    record.not_after = k_issued + k_lifetime;
    record.serial_hex = "0a1b";
    record.issuer = "Test CA";
    core::LocalCertificate local;
    local.version = 3;
    local.record = record;
    local.status.version = 3;
    return local;
}

} // namespace

TEST_SUITE("renewal plan") {
    TEST_CASE("certificate record: round trip and required lines") {
        store::CertificateRecord record = *current().record;
        record.directory_url = "https://acme.test/dir";
        record.ari = true;
        const auto text = store::format_certificate_record(record);
        REQUIRE(text.ok());
        const auto parsed = store::parse_certificate_record(*text);
        REQUIRE(parsed.has_value());
        CHECK(parsed->domains == record.domains);
        CHECK(parsed->key_type == "ec-p256");
        CHECK(parsed->not_after == record.not_after);
        CHECK(parsed->issuer == "Test CA");
        CHECK(parsed->ari);
        // Without the validity the record is useless: the PEM files are read instead.
        CHECK_FALSE(store::parse_certificate_record("domains=a.test\nkey=ec-p256\n").has_value());
        record.issuer = "line\nbreak";
        CHECK_FALSE(store::format_certificate_record(record).ok());
    }

    TEST_CASE("certificate status: round trip") {
        store::CertificateStatus status;
        status.version = 4;
        status.deploy_pending = true;
        status.ari_renew_at = 123;
        status.ari_check_at = 456;
        const auto parsed =
            store::parse_certificate_status(store::format_certificate_status(status));
        CHECK(parsed.version == 4);
        CHECK(parsed.deploy_pending);
        CHECK(parsed.ari_renew_at == 123);
        CHECK(parsed.ari_check_at == 456);
        CHECK_FALSE(store::parse_certificate_status("version=x\n").deploy_pending);
    }

    TEST_CASE("no certificate yet: due") {
        const auto plan = core::plan_renewal(web(), core::LocalCertificate{}, at_day(1), false);
        CHECK(plan.due);
        CHECK(plan.reason == "no certificate yet");
    }

    TEST_CASE("one third of the lifetime by default") {
        // 90 days: due from day 60 on.
        const auto early = core::plan_renewal(web(), current(), at_day(59.9), false);
        CHECK_FALSE(early.due);
        REQUIRE(early.renew_at.has_value());
        CHECK(*early.renew_at == at_day(60));
        CHECK(core::plan_renewal(web(), current(), at_day(60), false).due);
        // Names in another order are the same names.
        CHECK_FALSE(
            core::plan_renewal(web(), current({"*.example.com", "example.com"}), at_day(10), false)
                .due);
    }

    TEST_CASE("renew_before as a fraction or a duration") {
        auto settings = web();
        settings.renew_before.fraction = 0.5;
        CHECK_FALSE(core::plan_renewal(settings, current(), at_day(44), false).due);
        CHECK(core::plan_renewal(settings, current(), at_day(45), false).due);
        settings.renew_before.duration = std::chrono::seconds(10 * 86'400);
        CHECK_FALSE(core::plan_renewal(settings, current(), at_day(79), false).due);
        const auto plan = core::plan_renewal(settings, current(), at_day(80), false);
        CHECK(plan.due);
        CHECK(plan.reason.find("renew_before 10d") != std::string::npos);
    }

    TEST_CASE("changed names, changed key type, expiry and --force") {
        auto settings = web();
        settings.domains.push_back("www.example.com");
        auto plan = core::plan_renewal(settings, current(), at_day(1), false);
        CHECK(plan.due);
        CHECK(plan.reason.find("names changed") != std::string::npos);

        settings = web();
        settings.key = KeyType::rsa_2048;
        plan = core::plan_renewal(settings, current(), at_day(1), false);
        CHECK(plan.due);
        CHECK(plan.reason == "key type changed from ec-p256 to rsa-2048");

        CHECK(core::plan_renewal(web(), current(), at_day(91), false).due);
        CHECK(core::plan_renewal(web(), current(), at_day(1), true).due);
    }

    TEST_CASE("ARI: a fresh cached answer decides; a stale one means asking the CA") {
        auto local = current();
        local.record->ari = true;
        auto plan = core::plan_renewal(web(), local, at_day(1), false);
        CHECK(plan.needs_ari);
        CHECK_FALSE(plan.due);

        const auto seconds = [](Clock::time_point when) {
            return std::chrono::duration_cast<std::chrono::seconds>(when.time_since_epoch())
                .count();
        };
        local.status.ari_renew_at = seconds(at_day(30));
        local.status.ari_check_at = seconds(at_day(2));
        plan = core::plan_renewal(web(), local, at_day(1), false);
        CHECK_FALSE(plan.needs_ari);
        CHECK_FALSE(plan.due);
        CHECK(*plan.renew_at == at_day(30));
        // The CA's window wins over the lifetime rule, in both directions.
        local.status.ari_renew_at = seconds(at_day(0.5));
        CHECK(core::plan_renewal(web(), local, at_day(1), false).due);
        // Past the Retry-After: ask again.
        CHECK(core::plan_renewal(web(), local, at_day(3), false).needs_ari);
    }

    TEST_CASE("deploy pending: from the status file or a missing output") {
        auto local = current();
        local.status.deploy_pending = true;
        auto plan = core::plan_renewal(web(), local, at_day(1), false);
        CHECK_FALSE(plan.due);
        CHECK(plan.deploy_pending);

        auto settings = web();
        OutputSettings output;
        output.path = std::filesystem::temp_directory_path() / "wildcert-no-such-output.p12";
        settings.outputs.push_back(output);
        plan = core::plan_renewal(settings, current(), at_day(1), false);
        CHECK(plan.deploy_pending);
        CHECK_FALSE(plan.due);
    }
}
