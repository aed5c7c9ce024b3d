// Unit tests for providers: settings resolution, the HTTP options, the TXT-set merge, and the
// rfc2136 and powerdns factories (no network).
#include "config/load.hpp"
#include "providers/common/http_settings.hpp"
#include "providers/common/txt_set.hpp"
#include "providers/descriptor.hpp"
#include "providers/powerdns/powerdns_api.hpp"
#include "providers/powerdns/powerdns_provider.hpp"
#include "providers/rfc2136/rfc2136_provider.hpp"

#include "temp_dir.hpp"

#include <doctest/doctest.h>

#include <array>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <variant>
#include <vector>

using namespace wildcert;
using namespace wildcert::providers;

namespace {

constexpr std::array<SettingDescriptor, 4> k_test_settings{{
    {"endpoint", "WILDCERT_TEST_ENDPOINT", SettingType::string, "", true, false, "where"},
    {"token", "WILDCERT_TEST_TOKEN", SettingType::string, "", true, true, "secret"},
    {"retries", "WILDCERT_TEST_RETRIES", SettingType::integer, "3", false, false, "count"},
    {"verbose", "WILDCERT_TEST_VERBOSE", SettingType::boolean, "", false, false, "flag"},
}};

Result<std::unique_ptr<DnsProvider>> no_factory(const ProviderDescriptor&, const ProviderConfig&,
                                                const ProviderContext&) {
    return make_error(ErrorKind::provider, "not built in tests");
}

const ProviderDescriptor k_test_descriptor{"testdns", "test", k_test_settings, &no_factory};

ProviderConfig config_with(std::map<std::string, SettingValue> settings,
                           std::string name = "testdns") {
    return ProviderConfig{std::move(name), std::move(settings), "/etc/wildcert/p.toml:3"};
}

void clear_test_env() {
    for (const char* name : {"WILDCERT_TEST_ENDPOINT", "WILDCERT_TEST_TOKEN",
                             "WILDCERT_TEST_RETRIES", "WILDCERT_TEST_VERBOSE"})
        unsetenv(name);
}

void clear_rfc2136_env() {
    for (const char* name : {"WILDCERT_RFC2136_SERVER", "WILDCERT_RFC2136_TSIG_KEY",
                             "WILDCERT_RFC2136_TSIG_ALGORITHM", "WILDCERT_RFC2136_TSIG_SECRET"})
        unsetenv(name);
}

SettingValue at_line(std::variant<std::string, std::int64_t, bool> value, int line) {
    return SettingValue{std::move(value), "/etc/wildcert/p.toml:" + std::to_string(line)};
}

} // namespace

TEST_CASE("Settings::resolve takes table values, then environment, then defaults") {
    clear_test_env();
    setenv("WILDCERT_TEST_TOKEN", "from-env", 1);
    setenv("WILDCERT_TEST_VERBOSE", "true", 1);
    auto settings = Settings::resolve(
        k_test_descriptor, config_with({{"endpoint", at_line(std::string("https://x"), 4)}}));
    REQUIRE(settings.ok());
    CHECK(settings->string("endpoint") == "https://x");
    CHECK(settings->where("endpoint") == "/etc/wildcert/p.toml:4: dns.testdns.endpoint");
    CHECK(settings->string("token") == "from-env");
    CHECK(settings->where("token") == "environment variable WILDCERT_TEST_TOKEN");
    CHECK(settings->integer("retries") == 3);
    CHECK(settings->boolean("verbose") == true);
    // A value of another type is not handed out as this one.
    CHECK_FALSE(settings->integer("endpoint").has_value());
    CHECK_FALSE(settings->string("unknown").has_value());

    setenv("WILDCERT_TEST_RETRIES", "7", 1);
    settings = Settings::resolve(k_test_descriptor,
                                 config_with({{"endpoint", at_line(std::string("e"), 4)},
                                              {"retries", at_line(std::int64_t{9}, 5)}}));
    REQUIRE(settings.ok());
    CHECK(settings->integer("retries") == 9); // the table wins over the environment

    settings = Settings::resolve(k_test_descriptor,
                                 config_with({{"endpoint", at_line(std::string("e"), 4)}}));
    REQUIRE(settings.ok());
    CHECK(settings->integer("retries") == 7);
    clear_test_env();
}

TEST_CASE("Settings::resolve: an empty environment variable counts as unset") {
    clear_test_env();
    setenv("WILDCERT_TEST_TOKEN", "", 1);
    auto settings = Settings::resolve(k_test_descriptor,
                                      config_with({{"endpoint", at_line(std::string("e"), 4)}}));
    REQUIRE_FALSE(settings.ok());
    CHECK(settings.error().message ==
          "/etc/wildcert/p.toml:3: dns.testdns.token is required (or set WILDCERT_TEST_TOKEN)");
    clear_test_env();
}

TEST_CASE("Settings::resolve rejects unknown keys, listing the known ones") {
    clear_test_env();
    auto settings = Settings::resolve(k_test_descriptor,
                                      config_with({{"endpoint", at_line(std::string("e"), 4)},
                                                   {"tokn", at_line(std::string("t"), 6)}}));
    REQUIRE_FALSE(settings.ok());
    CHECK(settings.error().kind == ErrorKind::profile);
    CHECK(settings.error().message ==
          "/etc/wildcert/p.toml:6: dns.testdns.tokn: unknown key 'tokn'; "
          "did you mean 'token'? (known keys: endpoint, token, "
          "retries, verbose)");
}

TEST_CASE("Settings::resolve rejects values of the wrong type") {
    clear_test_env();
    auto settings = Settings::resolve(k_test_descriptor,
                                      config_with({{"endpoint", at_line(std::string("e"), 4)},
                                                   {"token", at_line(std::string("t"), 5)},
                                                   {"retries", at_line(std::string("3"), 6)}}));
    REQUIRE_FALSE(settings.ok());
    CHECK(settings.error().kind == ErrorKind::profile);
    CHECK(settings.error().message ==
          "/etc/wildcert/p.toml:6: dns.testdns.retries: expected an integer, got a string");

    settings = Settings::resolve(
        k_test_descriptor,
        config_with({{"endpoint", at_line(true, 4)}, {"token", at_line(std::string("t"), 5)}}));
    REQUIRE_FALSE(settings.ok());
    CHECK(settings.error().message ==
          "/etc/wildcert/p.toml:4: dns.testdns.endpoint: expected a string, got a boolean");
}

TEST_CASE("Settings::resolve parses typed environment values and rejects bad ones") {
    clear_test_env();
    setenv("WILDCERT_TEST_RETRIES", "three", 1);
    auto settings = Settings::resolve(k_test_descriptor,
                                      config_with({{"endpoint", at_line(std::string("e"), 4)},
                                                   {"token", at_line(std::string("t"), 5)}}));
    REQUIRE_FALSE(settings.ok());
    CHECK(settings.error().kind == ErrorKind::profile);
    CHECK(settings.error().message.find("environment variable WILDCERT_TEST_RETRIES") == 0);
    CHECK(settings.error().message.find("integer") != std::string::npos);
    clear_test_env();

    setenv("WILDCERT_TEST_VERBOSE", "maybe", 1);
    settings = Settings::resolve(k_test_descriptor,
                                 config_with({{"endpoint", at_line(std::string("e"), 4)},
                                              {"token", at_line(std::string("t"), 5)}}));
    REQUIRE_FALSE(settings.ok());
    CHECK(settings.error().message.find("WILDCERT_TEST_VERBOSE") != std::string::npos);
    clear_test_env();
}

TEST_CASE("Settings::resolve reports a missing required key with its variable") {
    clear_test_env();
    auto settings = Settings::resolve(k_test_descriptor, config_with({}));
    REQUIRE_FALSE(settings.ok());
    CHECK(settings.error().kind == ErrorKind::profile);
    CHECK(settings.error().message == "/etc/wildcert/p.toml:3: dns.testdns.endpoint is required "
                                      "(or set WILDCERT_TEST_ENDPOINT)");
}

TEST_CASE("create_provider names the known providers for an unknown one") {
    auto provider = create_provider(config_with({}, "nosuchdns"));
    REQUIRE_FALSE(provider.ok());
    CHECK(provider.error().kind == ErrorKind::profile);
    CHECK(provider.error().message.find("/etc/wildcert/p.toml:3") == 0);
    CHECK(provider.error().message.find("\"nosuchdns\"") != std::string::npos);
    CHECK(provider.error().message.find("rfc2136") != std::string::npos);
}

namespace {

const std::string k_secret = "UdQ2HW0EwgyDgp/yANNgwyVI3eW5nJv0L87BsC+dEjs=";

std::map<std::string, SettingValue> rfc2136_table() {
    return {{"server", at_line(std::string("127.0.0.1:5300"), 4)},
            {"tsig_key", at_line(std::string("acme-key"), 5)},
            {"tsig_secret", at_line(k_secret, 6)}};
}

} // namespace

TEST_CASE("rfc2136 describes its settings") {
    CHECK(rfc2136::k_descriptor.name == "rfc2136");
    std::vector<std::string> keys;
    for (const auto& setting : rfc2136::k_descriptor.settings)
        keys.emplace_back(setting.key);
    CHECK(keys == std::vector<std::string>{"server", "tsig_key", "tsig_algorithm", "tsig_secret",
                                           "timeout"});
    CHECK(find_provider("rfc2136") == &rfc2136::k_descriptor);
}

TEST_CASE("rfc2136 factory builds a provider from a valid table") {
    clear_rfc2136_env();
    auto provider = create_provider(config_with(rfc2136_table(), "rfc2136"));
    REQUIRE(provider.ok());
    CHECK(provider.value() != nullptr);
}

TEST_CASE("rfc2136 factory refuses hmac-sha384 at create time, naming file, line and key") {
    clear_rfc2136_env();
    auto table = rfc2136_table();
    table["tsig_algorithm"] = at_line(std::string("hmac-sha384"), 7);
    auto provider = create_provider(config_with(table, "rfc2136"));
    REQUIRE_FALSE(provider.ok());
    CHECK(provider.error().kind == ErrorKind::profile);
    CHECK(provider.error().message ==
          "/etc/wildcert/p.toml:7: dns.rfc2136.tsig_algorithm: hmac-sha384 is not supported "
          "(ldns cannot sign with it); use hmac-sha256, hmac-sha512, hmac-sha1 or hmac-md5");

    setenv("WILDCERT_RFC2136_TSIG_ALGORITHM", "hmac-sha224", 1);
    provider = create_provider(config_with(rfc2136_table(), "rfc2136"));
    REQUIRE_FALSE(provider.ok());
    CHECK(provider.error().message.find("environment variable WILDCERT_RFC2136_TSIG_ALGORITHM: "
                                        "hmac-sha224 is not supported") == 0);
    clear_rfc2136_env();
}

TEST_CASE("rfc2136 factory refuses a secret that is not base64 without echoing it") {
    clear_rfc2136_env();
    auto table = rfc2136_table();
    const std::string bad_secret = "hunter2-is-not-base64!";
    table["tsig_secret"] = at_line(bad_secret, 6);
    auto provider = create_provider(config_with(table, "rfc2136"));
    REQUIRE_FALSE(provider.ok());
    CHECK(provider.error().kind == ErrorKind::profile);
    CHECK(provider.error().message.find("/etc/wildcert/p.toml:6: dns.rfc2136.tsig_secret: ") == 0);
    CHECK(provider.error().message.find("base64") != std::string::npos);
    CHECK(provider.error().message.find(bad_secret) == std::string::npos);
    CHECK(provider.error().message.find("hunter2") == std::string::npos);
}

TEST_CASE("rfc2136 factory takes required settings from the environment") {
    clear_rfc2136_env();
    setenv("WILDCERT_RFC2136_SERVER", "[::1]:5300", 1);
    setenv("WILDCERT_RFC2136_TSIG_KEY", "acme-key", 1);
    setenv("WILDCERT_RFC2136_TSIG_SECRET", k_secret.c_str(), 1);
    auto provider = create_provider(config_with({}, "rfc2136"));
    CHECK(provider.ok());
    clear_rfc2136_env();

    provider = create_provider(config_with({}, "rfc2136"));
    REQUIRE_FALSE(provider.ok());
    CHECK(provider.error().message == "/etc/wildcert/p.toml:3: dns.rfc2136.server is required "
                                      "(or set WILDCERT_RFC2136_SERVER)");
}

TEST_CASE("rfc2136 factory checks the server address and the timeout") {
    clear_rfc2136_env();
    auto table = rfc2136_table();
    table["server"] = at_line(std::string("127.0.0.1:99999"), 4);
    auto provider = create_provider(config_with(table, "rfc2136"));
    REQUIRE_FALSE(provider.ok());
    CHECK(provider.error().message.find("/etc/wildcert/p.toml:4: dns.rfc2136.server: ") == 0);

    table = rfc2136_table();
    table["timeout"] = at_line(std::int64_t{0}, 8);
    provider = create_provider(config_with(table, "rfc2136"));
    REQUIRE_FALSE(provider.ok());
    CHECK(provider.error().message.find("/etc/wildcert/p.toml:8: dns.rfc2136.timeout: ") == 0);
}

namespace {

constexpr std::array<SettingDescriptor, 2> k_http_settings{{
    k_ca_bundle_setting,
    k_request_timeout_setting,
}};
const ProviderDescriptor k_http_descriptor{"testhttp", "test", k_http_settings, &no_factory};

Result<http::Options> http_options_for(std::map<std::string, SettingValue> table,
                                       const ProviderContext& context = {}) {
    auto settings = Settings::resolve(k_http_descriptor, config_with(std::move(table), "testhttp"));
    REQUIRE_MESSAGE(settings.ok(), settings.error().message);
    return http_options(*settings, context, "testhttp");
}

} // namespace

TEST_CASE("provider HTTP options: the run's User-Agent and deadline, then the table's") {
    const ProviderContext context{
        .user_agent = "wildcert/9.9", .request_timeout = std::chrono::seconds(20), .cancelled = {}};
    auto options = http_options_for({}, context);
    REQUIRE(options.ok());
    CHECK(options->user_agent == "wildcert/9.9");
    CHECK(options->total_timeout == std::chrono::seconds(20));
    CHECK(options->read_timeout <= options->total_timeout);
    CHECK(options->total_timeout_setting == "dns.testhttp.request_timeout");
    // A TLS failure names the provider's settings as the fix, not acme.ca_bundle.
    CHECK(options->tls_settings.ca_bundle == "dns.testhttp.ca_bundle");
    CHECK(options->tls_settings.url == "dns.testhttp.api_url");
    CHECK_FALSE(options->ca_bundle);

    options = http_options_for({{"request_timeout", at_line(std::string("90s"), 6)}}, context);
    REQUIRE(options.ok());
    CHECK(options->total_timeout == std::chrono::seconds(90));

    for (const char* bad : {"500ms", "11m"}) {
        const auto refused = http_options_for({{"request_timeout", at_line(std::string(bad), 6)}});
        REQUIRE_FALSE(refused.ok());
        CHECK(refused.error().kind == ErrorKind::profile);
        CHECK(refused.error().message.find("p.toml:6") != std::string::npos);
        CHECK(refused.error().message.find("request_timeout") != std::string::npos);
        CHECK(refused.error().message.find("from 1s to 10m") != std::string::npos);
    }
}

TEST_CASE("provider HTTP options: ca_bundle is checked and passed to the client") {
    const test::TempDir dir;
    const auto missing = (dir.path() / "missing.pem").string();
    const auto refused = http_options_for({{"ca_bundle", at_line(missing, 7)}});
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().kind == ErrorKind::profile);
    CHECK(refused.error().message.find("p.toml:7") != std::string::npos);
    CHECK(refused.error().message.find("cannot read " + missing) != std::string::npos);

    const auto bundle = dir.path() / "ca.pem";
    std::ofstream(bundle) << "-----BEGIN CERTIFICATE-----\n";
    const auto options = http_options_for({{"ca_bundle", at_line(bundle.string(), 7)}});
    REQUIRE(options.ok());
    REQUIRE(options->ca_bundle);
    CHECK(*options->ca_bundle == bundle);
}

TEST_CASE("powerdns: REPLACE carries the whole merged set, DELETE when nothing is left") {
    using powerdns::RrsetChange;
    const auto merged = txt_set::with_values({"\"foreign\""}, std::vector<std::string>{"v1", "v2"});
    CHECK(merged.changed);
    CHECK(merged.values == std::vector<std::string>{"\"foreign\"", "\"v1\"", "\"v2\""});
    CHECK_FALSE(txt_set::with_values(merged.values, std::vector<std::string>{"v1"}).changed);
    const auto left = txt_set::without_values(merged.values, std::vector<std::string>{"v1", "v2"});
    CHECK(left.values == std::vector<std::string>{"\"foreign\""});
    CHECK_FALSE(txt_set::without_values(left.values, std::vector<std::string>{"v1"}).changed);

    const std::vector<RrsetChange> changes{
        {.name = "_acme-challenge.demo.test.",
         .ttl = std::chrono::seconds(3600),
         .contents = merged.values,
         .disabled = {"\"off\""}},
        {.name = "_acme-challenge.www.demo.test.",
         .ttl = std::chrono::seconds(60),
         .contents = {},
         .disabled = {}},
    };
    CHECK(powerdns::Api::patch_body(changes) ==
          R"({"rrsets":[{"name":"_acme-challenge.demo.test.","type":"TXT","ttl":3600,)"
          R"("changetype":"REPLACE","records":[{"content":"\"foreign\"","disabled":false},)"
          R"({"content":"\"v1\"","disabled":false},{"content":"\"v2\"","disabled":false},)"
          R"({"content":"\"off\"","disabled":true}]},)"
          R"({"name":"_acme-challenge.www.demo.test.","type":"TXT","changetype":"DELETE"}]})");
}

TEST_CASE("powerdns: settings name the key and refuse a key in clear over the network") {
    const auto make = [](std::map<std::string, SettingValue> table) {
        return powerdns::k_descriptor.create(config_with(std::move(table), "powerdns"));
    };
    const auto key = at_line(std::string("secret-api-key-1234"), 5);
    CHECK(make({{"api_url", at_line(std::string("http://127.0.0.1:8081"), 4)}, {"api_key", key}})
              .ok());
    CHECK(make({{"api_url", at_line(std::string("https://pdns.example.net"), 4)}, {"api_key", key}})
              .ok());

    const auto plain =
        make({{"api_url", at_line(std::string("http://10.0.0.5:8081"), 4)}, {"api_key", key}});
    REQUIRE_FALSE(plain.ok());
    CHECK(plain.error().kind == ErrorKind::profile);
    CHECK(plain.error().message.find("p.toml:4") != std::string::npos);
    CHECK(plain.error().message.find("allow_plain_http") != std::string::npos);
    CHECK(make({{"api_url", at_line(std::string("http://10.0.0.5:8081"), 4)},
                {"api_key", key},
                {"allow_plain_http", at_line(true, 6)}})
              .ok());

    const auto with_path =
        make({{"api_url", at_line(std::string("https://pdns.example.net/api/v1"), 4)},
              {"api_key", key}});
    REQUIRE_FALSE(with_path.ok());
    CHECK(with_path.error().message.find("without a path") != std::string::npos);

    unsetenv("WILDCERT_POWERDNS_API_KEY");
    const auto no_key = make({{"api_url", at_line(std::string("https://pdns.example.net"), 4)}});
    REQUIRE_FALSE(no_key.ok());
    CHECK(no_key.error().message.find("api_key") != std::string::npos);
    for (const auto* result : {&plain, &with_path, &no_key})
        CHECK(result->error().message.find("secret-api-key-1234") == std::string::npos);
}

TEST_CASE("the example PowerDNS profile loads and builds a provider") {
    const config::EnvLookup env = [](const std::string& name) {
        return name == "WILDCERT_POWERDNS_API_KEY" ? std::optional<std::string>("example-key")
                                                   : std::optional<std::string>();
    };
    auto profile = config::load_profile_with_env(std::filesystem::path(WILDCERT_SOURCE_ROOT) /
                                                     "examples" / "profiles" / "powerdns.toml",
                                                 env);
    REQUIRE_MESSAGE(profile.ok(), (profile.ok() ? "" : profile.error().message));
    REQUIRE(profile->dns.provider.name == "powerdns");
    setenv("WILDCERT_POWERDNS_API_KEY", "example-key-for-the-test", 1);
    const auto created = create_provider(profile->dns.provider);
    unsetenv("WILDCERT_POWERDNS_API_KEY");
    CHECK_MESSAGE(created.ok(), (created.ok() ? "" : created.error().message));
}
