// Unit tests for ARI (RFC 9773), RFC 3339 times, Link headers (RFC 8288), chain choice and the
// preferred_chain / profile keys. No network.
#include "acme/renewal_info.hpp"
#include "acme/rfc3339.hpp"
#include "config/redacted.hpp"
#include "core/chain_choice.hpp"
#include "core/renewal_decision.hpp"
#include "http/link_header.hpp"

#include <wildcert/profile.hpp>

#include <doctest/doctest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <unistd.h>

using namespace wildcert;
using namespace std::chrono_literals;
using std::chrono::sys_days;

namespace {

std::vector<std::uint8_t> from_hex(std::string_view hex) {
    std::vector<std::uint8_t> bytes;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
        bytes.push_back(
            static_cast<std::uint8_t>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
    return bytes;
}

crypto::CertificateInfo cert(std::string subject_cn, std::string issuer_cn) {
    crypto::CertificateInfo info;
    info.subject = "CN=" + subject_cn;
    info.issuer = "CN=" + issuer_cn;
    info.subject_cn = std::move(subject_cn);
    info.issuer_cn = std::move(issuer_cn);
    return info;
}

Result<Profile> load_text(const std::string& certificate_extra) {
    static std::atomic<int> counter{0};
    const auto path = std::filesystem::temp_directory_path() /
                      ("wildcert-ari-test-" + std::to_string(::getpid()) + "-" +
                       std::to_string(counter++) + ".toml");
    {
        std::ofstream out(path);
        out << "[acme]\n"                              // 1
               "directory = \"https://ca.test/dir\"\n" // 2
               "[dns]\n"                               // 3
               "provider = \"exec\"\n"                 // 4
               "[dns.exec]\n"                          // 5
               "command = \"/bin/true\"\n"             // 6
               "[[certificate]]\n"                     // 7
               "name = \"demo\"\n"                     // 8
               "domains = [\"demo.test\"]\n"           // 9
            << certificate_extra;                      // 10...
    }
    auto profile = load_profile(path);
    std::filesystem::remove(path);
    return profile;
}

} // namespace

TEST_SUITE("ari") {
    TEST_CASE("CertID: RFC 9773 Appendix A (AKI 69885b6b..., serial 0x87654321)") {
        // RFC 9773 §4.1 example and Appendix A certificate (text read in aarongable/draft-acme-ari
        // rfc9773.md; the same CertID is the "replaces" example of §5). The serial's DER content
        // is 00 87 65 43 21: the sign byte is part of the CertID.
        CHECK(acme::ari_cert_id(from_hex("69885b6b87464041e1b37b847ba0ae2cde01c8d4"),
                                from_hex("0087654321")) == "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE");
        CHECK(acme::ari_cert_id({}, from_hex("01")).empty());
    }

    TEST_CASE("RFC 3339 times, with fractions and offsets, and bad ones refused") {
        const auto t = sys_days{std::chrono::year{2025} / 1 / 2} + 4h;
        CHECK(acme::parse_rfc3339("2025-01-02T04:00:00Z") == t);
        CHECK(acme::parse_rfc3339("2025-01-02t04:00:00z") == t);
        CHECK(acme::parse_rfc3339("2025-01-02T06:00:00+02:00") == t);
        CHECK(acme::parse_rfc3339("2025-01-02T03:30:00-00:30") == t);
        CHECK(acme::parse_rfc3339("2025-01-02T04:00:00.5Z") == t + 500ms);
        CHECK_FALSE(acme::parse_rfc3339("2025-02-30T04:00:00Z"));
        CHECK_FALSE(acme::parse_rfc3339("2025-01-02 04:00:00Z"));
        CHECK_FALSE(acme::parse_rfc3339("2025-01-02T04:00:00"));
        CHECK_FALSE(acme::parse_rfc3339("2025-01-02T04:00:00Zjunk"));
        CHECK(acme::format_rfc3339(t + 500ms) == "2025-01-02T04:00:00Z");
        CHECK(acme::format_wait(3725s) == "1h 2m 5s");
        CHECK(acme::format_wait(45s) == "45s");
    }

    TEST_CASE("renewalInfo: the RFC 9773 §4.2 example parses; invalid windows are refused") {
        const auto info = acme::parse_renewal_info(
            R"({"suggestedWindow":{"start":"2025-01-02T04:00:00Z","end":"2025-01-03T04:00:00Z"},"explanationURL":"https://acme.example.com/docs/ari"})");
        REQUIRE(info.ok());
        const auto start = sys_days{std::chrono::year{2025} / 1 / 2} + 4h;
        CHECK(info->window_start == start);
        CHECK(info->window_end == start + 24h);
        CHECK(info->explanation_url == "https://acme.example.com/docs/ari");

        CHECK_FALSE(
            acme::parse_renewal_info(
                R"({"suggestedWindow":{"start":"2025-01-03T04:00:00Z","end":"2025-01-02T04:00:00Z"}})")
                .ok());
        CHECK_FALSE(
            acme::parse_renewal_info(
                R"({"suggestedWindow":{"start":"2025-01-02T04:00:00Z","end":"2025-01-02T04:00:00Z"}})")
                .ok());
        CHECK_FALSE(acme::parse_renewal_info(R"({"suggestedWindow":{"start":"soon"}})").ok());
        CHECK_FALSE(acme::parse_renewal_info(R"({})").ok());
        CHECK_FALSE(acme::parse_renewal_info("not json").ok());
    }

    TEST_CASE("renewal time: uniform in the window; next check clamped (RFC 9773 §4.3)") {
        acme::RenewalInfo info;
        info.window_start = sys_days{std::chrono::year{2025} / 1 / 2};
        info.window_end = info.window_start + 24h;
        CHECK(acme::pick_renewal_time(info, [] { return 0.0; }) == info.window_start);
        CHECK(acme::pick_renewal_time(info, [] { return 0.25; }) == info.window_start + 6h);
        const auto last = acme::pick_renewal_time(info, [] { return 0.999999; });
        CHECK(last < info.window_end);
        CHECK(last > info.window_start + 23h);
        // A broken source cannot push the time out of the window.
        CHECK(acme::pick_renewal_time(info, [] { return 7.0; }) == info.window_start);

        CHECK(acme::next_renewal_info_check(info) == 6h);
        info.retry_after = 5s;
        CHECK(acme::next_renewal_info_check(info) == 1min);
        info.retry_after = 72h;
        CHECK(acme::next_renewal_info_check(info) == 24h);
        info.retry_after = 21600s;
        CHECK(acme::next_renewal_info_check(info) == 6h);
    }

    TEST_CASE("lifetime rule: due once less than a third of the lifetime is left") {
        crypto::CertificateInfo leaf;
        leaf.not_before = sys_days{std::chrono::year{2025} / 1 / 1};
        leaf.not_after = leaf.not_before + 90 * 24h;
        const auto renew_at = leaf.not_after - 30 * 24h;
        CHECK_FALSE(core::lifetime_decision(leaf, renew_at - 1s).due);
        const auto due = core::lifetime_decision(leaf, renew_at);
        CHECK(due.due);
        CHECK(due.renew_at == renew_at);
        CHECK_FALSE(due.from_ari);
    }
}

TEST_SUITE("link header") {
    TEST_CASE("several lines, comma-separated links, quoted and unquoted rel") {
        const std::vector<std::string> lines = {
            R"(<https://ca.test/cert/1/alt/1>;rel="alternate", <https://ca.test/dir>;rel=index)",
            R"(<https://ca.test/cert/1/alt/2> ; title="a, b; c" ; rel=alternate)",
            R"(</cert/1/alt/3>; rel="alternate up")",
            R"(garbage, <https://ca.test/x>; rel="help")",
        };
        const auto links = http::parse_link_headers(lines, "https://ca.test:8443/cert/1");
        REQUIRE(links.size() == 5);
        CHECK(links[0].target == "https://ca.test/cert/1/alt/1");
        CHECK(links[0].rel == std::vector<std::string>{"alternate"});
        CHECK(links[1].rel == std::vector<std::string>{"index"});
        CHECK(links[2].target == "https://ca.test/cert/1/alt/2");
        CHECK(links[2].rel == std::vector<std::string>{"alternate"});
        CHECK(links[3].target == "https://ca.test:8443/cert/1/alt/3");
        CHECK(links[3].rel == std::vector<std::string>{"alternate", "up"});
        CHECK(links[4].rel == std::vector<std::string>{"help"});

        http::Response response;
        for (const auto& line : lines)
            response.headers.emplace_back("link", line);
        CHECK(http::link_targets(response, "alternate", "https://ca.test:8443/cert/1") ==
              std::vector<std::string>{"https://ca.test/cert/1/alt/1",
                                       "https://ca.test/cert/1/alt/2",
                                       "https://ca.test:8443/cert/1/alt/3"});
    }

    TEST_CASE("malformed links are skipped, not fatal") {
        const auto links = http::parse_link_headers({"<unterminated", ";rel=x", ""});
        CHECK(links.empty());
    }
}

TEST_SUITE("chain choice") {
    TEST_CASE("the top certificate's issuer CN, or its own CN when it is the root") {
        const std::vector<crypto::CertificateInfo> without_root = {
            cert("demo.test", "Intermediate A"), cert("Intermediate A", "Root A")};
        CHECK(core::chain_top_name(without_root) == "Root A");
        const std::vector<crypto::CertificateInfo> with_root = {cert("demo.test", "Intermediate B"),
                                                                cert("Intermediate B", "Root B"),
                                                                cert("Root B", "Root B")};
        CHECK(core::chain_top_name(with_root) == "Root B");
        // Cross-signed: the top is "Root B" issued by "Old Root"; it answers to "Old Root".
        const std::vector<crypto::CertificateInfo> cross = {cert("demo.test", "Intermediate B"),
                                                            cert("Intermediate B", "Root B"),
                                                            cert("Root B", "Old Root")};
        CHECK(core::chain_top_name(cross) == "Old Root");

        const std::vector<std::vector<crypto::CertificateInfo>> chains = {without_root, with_root,
                                                                          cross};
        CHECK(core::choose_chain(chains, "Root A") == 0U);
        CHECK(core::choose_chain(chains, "Root B") == 1U);
        CHECK(core::choose_chain(chains, "Old Root") == 2U);
        CHECK_FALSE(core::choose_chain(chains, "root a").has_value());
        CHECK_FALSE(core::choose_chain(chains, "Nobody").has_value());
    }
}

TEST_SUITE("config") {
    TEST_CASE("preferred_chain and profile are read from [[certificate]]") {
        const auto profile =
            load_text("preferred_chain = \"ISRG Root X1\"\nprofile = \"tlsserver\"\n");
        REQUIRE_MESSAGE(profile.ok(), profile.error().message);
        CHECK(profile->certificates[0].preferred_chain == "ISRG Root X1");
        CHECK(profile->certificates[0].profile == "tlsserver");
        const auto shown = config::describe_profile(
            *profile, [](std::string_view, std::string_view) { return true; });
        CHECK(shown.find("preferred_chain = \"ISRG Root X1\"") != std::string::npos);
        CHECK(shown.find("profile = \"tlsserver\"") != std::string::npos);
        const auto plain = load_text("");
        REQUIRE(plain.ok());
        CHECK(plain->certificates[0].preferred_chain.empty());
        CHECK(plain->certificates[0].profile.empty());
    }

    TEST_CASE("empty or mistyped preferred_chain and profile name file, line and key") {
        const auto empty = load_text("preferred_chain = \"\"\n");
        REQUIRE_FALSE(empty.ok());
        CHECK(empty.error().kind == ErrorKind::profile);
        CHECK(empty.error().message.find(":10:") != std::string::npos);
        CHECK(empty.error().message.find("preferred_chain") != std::string::npos);
        const auto typed = load_text("\nprofile = 3\n");
        REQUIRE_FALSE(typed.ok());
        CHECK(typed.error().message.find(":11:") != std::string::npos);
        CHECK(typed.error().message.find("profile") != std::string::npos);
    }
}
