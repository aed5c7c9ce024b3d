// Unit tests for the shape of profile errors: "file:line:col: key: what; did you mean ...",
// the unknown key named rather than the required one it was meant to be, the line that is
// wrong blamed, and durations accepted as strings wherever a key takes a time.
#include <doctest/doctest.h>

#include "temp_dir.hpp"

#include "config/load.hpp"
#include "providers/descriptor.hpp"

#include <wildcert/profile.hpp>

#include <string>

namespace {

using namespace std::chrono_literals;
using wildcert::test::TempDir;

std::string load_error(const std::string& text) {
    const TempDir dir;
    const auto profile = wildcert::load_profile(dir.write("profile.toml", text));
    REQUIRE_FALSE(profile.ok());
    CHECK(profile.error().kind == wildcert::ErrorKind::profile);
    return profile.error().message;
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// The lines every profile here starts with; the tests count lines from it.
const std::string k_head = "[acme]\n"                              // 1
                           "directory = \"https://ca.test/dir\"\n" // 2
                           "[dns]\n";                              // 3

const std::string k_certificate = "[[certificate]]\n"
                                  "name = \"example\"\n"
                                  "domains = [\"example.com\"]\n";

} // namespace

TEST_SUITE("profile errors") {

    TEST_CASE("a misspelt required key is named as unknown, with the key it was meant to be") {
        const std::string message = load_error(k_head + "provider = \"rfc2136\"\n"       // 4
                                                        "[dns.rfc2136]\n"                // 5
                                                        "server = \"127.0.0.1:53\"\n"    // 6
                                                        "[[certificate]]\n"              // 7
                                                        "name = \"example\"\n"           // 8
                                                        "domain = [\"example.com\"]\n"); // 9
        INFO(message);
        CHECK(contains(message, "profile.toml:9:1: certificate[1].domain: unknown key 'domain'; "
                                "did you mean 'domains'?"));
        CHECK_FALSE(contains(message, "missing"));
    }

    TEST_CASE("an unknown key far from every known one gets no guess, a near one gets one") {
        const std::string far = load_error(k_head + "provider = \"rfc2136\"\n" // 4
                                           + "colour = \"blue\"\n"             // 5
                                           + k_certificate);
        INFO(far);
        CHECK(contains(far, "profile.toml:5:1: dns.colour: unknown key 'colour'"));
        CHECK_FALSE(contains(far, "did you mean"));

        const std::string near = load_error(k_head + "provider = \"rfc2136\"\n" // 4
                                            + "  propagation_timout = \"5m\"\n" // 5
                                            + k_certificate);
        INFO(near);
        CHECK(contains(near, "profile.toml:5:3: dns.propagation_timout: unknown key "
                             "'propagation_timout'; did you mean 'propagation_timeout'?"));
    }

    TEST_CASE("a misspelt provider is blamed on its own line, not on its settings table") {
        const std::string message = load_error(k_head +
                                               "\n"                          // 4
                                               "\n"                          // 5
                                               "\n"                          // 6
                                               "\n"                          // 7
                                               "provider = \"rfc-2136\"\n"   // 8
                                               "[dns.rfc2136]\n"             // 9
                                               "server = \"127.0.0.1:53\"\n" // 10
                                               + k_certificate);
        INFO(message);
        CHECK(contains(message, "profile.toml:8:12: dns.provider: "));
        CHECK(contains(message, "did you mean 'rfc2136'?"));
        CHECK_FALSE(contains(message, "profile.toml:9"));
    }

    TEST_CASE("a table for another provider is still blamed on the table") {
        const std::string message = load_error(k_head +
                                               "provider = \"cloudflare\"\n" // 4
                                               "[dns.rfc2136]\n"             // 5
                                               "server = \"127.0.0.1:53\"\n" // 6
                                               + k_certificate);
        INFO(message);
        CHECK(contains(message, "profile.toml:5:1: dns.rfc2136: settings for provider"));
    }

    TEST_CASE("errors about a value point at the value's column") {
        const std::string message = load_error("[acme]\n"
                                               "directory = 42\n" // 2
                                               "[dns]\n"
                                               "provider = \"rfc2136\"\n" +
                                               k_certificate);
        INFO(message);
        CHECK(contains(message, "profile.toml:2:13: acme.directory: "));
    }

    TEST_CASE("provider settings that are times take duration strings and seconds") {
        const TempDir dir;
        const auto profile = wildcert::load_profile(
            dir.write("profile.toml", k_head +
                                          "provider = \"rfc2136\"\n"
                                          "ttl = \"2m\"\n"
                                          "[dns.rfc2136]\n"
                                          "server = \"127.0.0.1:53\"\n"
                                          "timeout = \"10s\"\n"
                                          "tsig_key = \"k\"\n"
                                          "tsig_secret = \"c2VjcmV0LWtleQ==\"\n" +
                                          k_certificate));
        REQUIRE_MESSAGE(profile.ok(), (profile.ok() ? "" : profile.error().message));
        CHECK(profile->dns.ttl == 120s);
        const auto* rfc2136 = wildcert::providers::find_provider("rfc2136");
        REQUIRE(rfc2136 != nullptr);
        const auto settings =
            wildcert::providers::Settings::resolve(*rfc2136, profile->dns.provider);
        REQUIRE_MESSAGE(settings.ok(), (settings.ok() ? "" : settings.error().message));
        CHECK(settings->duration("timeout") == 10s);
    }

    TEST_CASE("a provider time that is no duration names its line, column and key") {
        const TempDir dir;
        const auto profile = wildcert::load_profile(
            dir.write("profile.toml", k_head +
                                          "provider = \"rfc2136\"\n" // 4
                                          "[dns.rfc2136]\n"          // 5
                                          "server = \"127.0.0.1:53\"\n"
                                          "timeout = \"10 parsecs\"\n" // 7
                                          "tsig_key = \"k\"\n"
                                          "tsig_secret = \"c2VjcmV0LWtleQ==\"\n" +
                                          k_certificate));
        REQUIRE_MESSAGE(profile.ok(), (profile.ok() ? "" : profile.error().message));
        const auto* rfc2136 = wildcert::providers::find_provider("rfc2136");
        REQUIRE(rfc2136 != nullptr);
        const auto settings =
            wildcert::providers::Settings::resolve(*rfc2136, profile->dns.provider);
        REQUIRE_FALSE(settings.ok());
        INFO(settings.error().message);
        CHECK(contains(settings.error().message,
                       "profile.toml:7:11: dns.rfc2136.timeout: '10 parsecs' is not a duration"));
    }

    TEST_CASE("a ttl that is not a whole number of seconds is refused") {
        const std::string message = load_error(k_head +
                                               "provider = \"rfc2136\"\n"
                                               "ttl = \"1500ms\"\n" + // 5
                                               k_certificate);
        INFO(message);
        CHECK(contains(message, "profile.toml:5:7: dns.ttl: "));
    }
}
