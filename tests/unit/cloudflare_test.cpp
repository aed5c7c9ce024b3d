// Unit tests for the cloudflare provider, against the in-process Cloudflare fake on loopback
// (tests/fakes/cloudflare), and for the fake's own rules.
#include "providers/cloudflare/cloudflare_provider.hpp"
#include "providers/cloudflare/cloudflare_records.hpp"
#include "tests/fakes/cloudflare/fake_server.hpp"
#include "tests/fakes/cloudflare/txt_rules.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

using namespace wildcert;
using namespace wildcert::providers;
namespace cf = wildcert::providers::cloudflare;
namespace fake = wildcert::fakes::cloudflare;

namespace {

constexpr std::string_view k_good_token = "cfut_GoodTokenGoodTokenGoodTokenGoodToken01";
constexpr std::string_view k_readonly_token = "cfut_ReadOnlyTokenReadOnlyTokenReadOnly0002";
constexpr std::string_view k_wildcard_value = "LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0";
constexpr std::string_view k_apex_value = "ADw2sEd82DUgXcQ9hNBZThJs7zVJkR5v9JeSbAb9mZY";
constexpr std::string_view k_challenge = "_acme-challenge.demo.test";

TxtRecord record(std::string_view fqdn, std::string_view value) {
    return TxtRecord{"demo.test.", std::string(fqdn) + ".", std::string(value),
                     std::chrono::seconds(60)};
}

std::vector<std::string> contents_at(const fake::FakeApi& api, std::string_view name) {
    std::vector<std::string> contents;
    for (const auto& entry : api.records_named(name))
        contents.push_back(entry.content);
    std::sort(contents.begin(), contents.end());
    return contents;
}

std::string in_quotes(std::string_view value) {
    return "\"" + std::string(value) + "\"";
}

int requests_starting(const fake::FakeApi& api, std::string_view prefix) {
    const auto log = api.request_log();
    return static_cast<int>(std::count_if(log.begin(), log.end(), [&](const std::string& line) {
        return line.rfind(prefix, 0) == 0;
    }));
}

// One fake with the zone demo.test, a good token and a token without DNS:Edit.
struct Fixture {
    fake::FakeCloudflare server;
    std::string zone_id;
    std::vector<std::chrono::milliseconds> sleeps;

    Fixture() {
        server.api().add_token(std::string(k_good_token));
        server.api().add_token(std::string(k_readonly_token), fake::Scopes{true, true, false});
        zone_id = server.api().add_zone("demo.test");
        REQUIRE(server.start().ok());
    }

    [[nodiscard]] cf::Config config(std::string_view token = k_good_token) const {
        cf::Config config;
        config.credentials.api_token = std::string(token);
        config.api_url = server.base_url();
        return config;
    }

    [[nodiscard]] std::unique_ptr<DnsProvider> provider(cf::Config config) {
        return cf::make_provider(
            std::move(config),
            cf::Hooks{
                .sleep = [this](std::chrono::milliseconds duration) { sleeps.push_back(duration); },
                .cancelled = {}});
    }
    [[nodiscard]] std::unique_ptr<DnsProvider> provider() { return provider(config()); }
};

void clear_cloudflare_env() {
    for (const char* name : {"WILDCERT_CLOUDFLARE_API_TOKEN", "WILDCERT_CLOUDFLARE_EMAIL",
                             "WILDCERT_CLOUDFLARE_API_KEY", "WILDCERT_CLOUDFLARE_ZONE_ID",
                             "WILDCERT_CLOUDFLARE_ACCOUNT_ID", "WILDCERT_CLOUDFLARE_TTL",
                             "WILDCERT_CLOUDFLARE_API_URL"})
        unsetenv(name);
}

Result<std::unique_ptr<DnsProvider>> from_table(std::map<std::string, SettingValue> table) {
    clear_cloudflare_env();
    return cf::k_descriptor.create(
        ProviderConfig{"cloudflare", std::move(table), "/etc/wildcert/p.toml:9"});
}

SettingValue at(std::variant<std::string, std::int64_t, bool> value, int line) {
    return SettingValue{std::move(value), "/etc/wildcert/p.toml:" + std::to_string(line)};
}

} // namespace

TEST_SUITE("cloudflare") {

    TEST_CASE("wildcard and apex values coexist; removing one leaves the other") {
        Fixture f;
        const std::vector<TxtRecord> both{record(k_challenge, k_wildcard_value),
                                          record(k_challenge, k_apex_value)};
        REQUIRE(f.provider()->add(both).ok());

        const auto stored = f.server.api().records_named(k_challenge);
        REQUIRE(stored.size() == 2);
        for (const auto& entry : stored) {
            CHECK(entry.ttl == 120); // the provider's default, not the core's 60
            CHECK(entry.type == "TXT");
        }
        // Quoted, as Cloudflare's schema asks (research notes §1.8).
        std::vector<std::string> expected{in_quotes(k_apex_value), in_quotes(k_wildcard_value)};
        std::sort(expected.begin(), expected.end());
        CHECK(contents_at(f.server.api(), k_challenge) == expected);

        // A fresh instance knows no ids: it finds the record by name and content.
        const std::vector<TxtRecord> wildcard_only{record(k_challenge, k_wildcard_value)};
        REQUIRE(f.provider()->remove(wildcard_only).ok());
        CHECK(contents_at(f.server.api(), k_challenge) ==
              std::vector<std::string>{in_quotes(k_apex_value)});

        REQUIRE(f.provider()->remove(both).ok());
        CHECK(f.server.api().records().empty());
    }

    TEST_CASE("removal after a restart, and of values already gone, is success") {
        Fixture f;
        const std::vector<TxtRecord> one{record(k_challenge, k_wildcard_value)};
        {
            auto crashed = f.provider();
            REQUIRE(crashed->add(one).ok());
        }
        auto next_run = f.provider();
        REQUIRE(next_run->remove(one).ok());
        CHECK(f.server.api().records().empty());
        CHECK(next_run->remove(one).ok());
        CHECK(f.provider()->remove(one).ok());
    }

    TEST_CASE("adding a value that is already there is success (81058 and 81057)") {
        for (const std::int64_t code : {81058, 81057}) {
            CAPTURE(code);
            Fixture f;
            f.server.api().set_duplicate_code(code);
            const std::vector<TxtRecord> one{record(k_challenge, k_apex_value)};
            REQUIRE(f.provider()->add(one).ok());
            const auto result = f.provider()->add(one);
            CHECK_MESSAGE(result.ok(), (result.ok() ? "" : result.error().message));
            CHECK(f.server.api().records_named(k_challenge).size() == 1);
            // The fake did refuse the second create: the provider judged the code.
            CHECK(requests_starting(f.server.api(), "POST ") == 2);
        }
    }

    TEST_CASE("removal follows pagination and leaves other values alone") {
        Fixture f;
        f.server.api().set_records_per_page(2);
        std::vector<std::string> others;
        for (int i = 0; i < 5; ++i) {
            others.push_back(in_quotes("other-value-" + std::to_string(i)));
            f.server.api().seed_record(f.zone_id, std::string(k_challenge), others.back());
        }
        REQUIRE(f.provider()->add(std::vector<TxtRecord>{record(k_challenge, k_apex_value)}).ok());
        // Our record is the sixth: page 3 of 3.
        REQUIRE(
            f.provider()->remove(std::vector<TxtRecord>{record(k_challenge, k_apex_value)}).ok());
        auto left = contents_at(f.server.api(), k_challenge);
        std::sort(others.begin(), others.end());
        CHECK(left == others);
        CHECK(requests_starting(f.server.api(), "GET /client/v4/zones/" + f.zone_id +
                                                    "/dns_records?type=TXT") == 3);
    }

    TEST_CASE("removal matches records written unquoted by other clients") {
        Fixture f;
        f.server.api().seed_record(f.zone_id, std::string(k_challenge), std::string(k_apex_value));
        f.server.api().seed_record(f.zone_id, std::string(k_challenge), "not-ours");
        REQUIRE(
            f.provider()->remove(std::vector<TxtRecord>{record(k_challenge, k_apex_value)}).ok());
        CHECK(contents_at(f.server.api(), k_challenge) == std::vector<std::string>{"not-ours"});
    }

    TEST_CASE("HTTP 429 waits Retry-After and recovers") {
        Fixture f;
        f.server.api().throttle_next(2, 3);
        REQUIRE(f.provider()->add(std::vector<TxtRecord>{record(k_challenge, k_apex_value)}).ok());
        CHECK(f.server.api().throttled_count() == 2);
        CHECK(f.sleeps == std::vector<std::chrono::milliseconds>{std::chrono::seconds(3),
                                                                 std::chrono::seconds(3)});
        CHECK(f.server.api().records_named(k_challenge).size() == 1);

        // Every third request throttled, through a whole add and remove cycle.
        f.server.api().throttle_every(3, 1);
        const std::vector<TxtRecord> both{record(k_challenge, k_wildcard_value),
                                          record(k_challenge, k_apex_value)};
        REQUIRE(f.provider()->add(both).ok());
        REQUIRE(f.provider()->remove(both).ok());
        CHECK(f.server.api().records().empty());
    }

    TEST_CASE("HTTP 429 beyond the bound is an error naming cloudflare") {
        Fixture f;
        f.server.api().throttle_next(1000, 10);
        const auto result =
            f.provider()->add(std::vector<TxtRecord>{record(k_challenge, k_apex_value)});
        REQUIRE_FALSE(result.ok());
        CHECK(result.error().message.rfind("cloudflare: ", 0) == 0);
        CHECK(result.error().message.find("HTTP 429") != std::string::npos);
        std::chrono::milliseconds total{0};
        for (const auto wait : f.sleeps)
            total += wait;
        CHECK(total <= cf::Api::k_max_wait);
        CHECK(f.sleeps.size() == 3);

        // A Retry-After longer than the whole bound is not waited for at all.
        Fixture g;
        g.server.api().throttle_next(1, 300);
        CHECK_FALSE(
            g.provider()->add(std::vector<TxtRecord>{record(k_challenge, k_apex_value)}).ok());
        CHECK(g.sleeps.empty());
    }

    TEST_CASE("a bad token gives a clear error naming cloudflare and the fix") {
        Fixture f;
        const std::string bad_token = "cfut_WrongWrongWrongWrongWrongWrongWrong03";
        const auto result = f.provider(f.config(bad_token))
                                ->add(std::vector<TxtRecord>{record(k_challenge, k_apex_value)});
        REQUIRE_FALSE(result.ok());
        const auto& message = result.error().message;
        CHECK(result.error().kind == ErrorKind::provider);
        CHECK(message.rfind("cloudflare: ", 0) == 0);
        CHECK(message.find("HTTP 403") != std::string::npos);
        CHECK(message.find("9109 Invalid access token") != std::string::npos);
        CHECK(message.find("check api_token") != std::string::npos);
        CHECK(message.find(bad_token) == std::string::npos);
    }

    TEST_CASE("a token without DNS:Edit gets the permission hint") {
        Fixture f;
        const auto result = f.provider(f.config(k_readonly_token))
                                ->add(std::vector<TxtRecord>{record(k_challenge, k_apex_value)});
        REQUIRE_FALSE(result.ok());
        const auto& message = result.error().message;
        CHECK(message.rfind("cloudflare: create TXT record _acme-challenge.demo.test: HTTP 403: "
                            "10000 Authentication error",
                            0) == 0);
        CHECK(message.find("Zone:Zone:Read and Zone:DNS:Edit") != std::string::npos);
        CHECK(message.find(k_readonly_token) == std::string::npos);

        // A token that may not even list zones.
        f.server.api().add_token("cfut_NoZoneRead", fake::Scopes{false, true, true});
        const auto no_zone = f.provider(f.config("cfut_NoZoneRead"))
                                 ->add(std::vector<TxtRecord>{record(k_challenge, k_apex_value)});
        REQUIRE_FALSE(no_zone.ok());
        CHECK(no_zone.error().message.find("zone.list") != std::string::npos);
        CHECK(no_zone.error().message.find("Zone:Zone:Read") != std::string::npos);
    }

    TEST_CASE("secrets never appear in error messages, even when the server repeats them") {
        Fixture f;
        f.server.api().echo_credentials_in_errors(true);
        f.server.api().add_global_key("ops@demo.test", "0123456789abcdef0123456789abcdef01234");

        const std::string bad_token = "cfut_SecretSecretSecretSecretSecretSecre04";
        const auto by_token = f.provider(f.config(bad_token))
                                  ->add(std::vector<TxtRecord>{record(k_challenge, k_apex_value)});
        REQUIRE_FALSE(by_token.ok());
        CHECK(by_token.error().message.find(bad_token) == std::string::npos);
        CHECK(by_token.error().message.find("[redacted]") != std::string::npos);

        auto config = f.config("");
        config.credentials.email = "ops@demo.test";
        config.credentials.api_key = "ffffffffffffffffffffffffffffffffffff9";
        const auto by_key =
            f.provider(config)->remove(std::vector<TxtRecord>{record(k_challenge, k_apex_value)});
        REQUIRE_FALSE(by_key.ok());
        CHECK(by_key.error().message.find(config.credentials.api_key) == std::string::npos);
        CHECK(by_key.error().message.find("check email and api_key") != std::string::npos);

        // The readonly token is valid: the refusal of the create repeats it too.
        const auto readonly = f.provider(f.config(k_readonly_token))
                                  ->add(std::vector<TxtRecord>{record(k_challenge, k_apex_value)});
        REQUIRE_FALSE(readonly.ok());
        CHECK(readonly.error().message.find(k_readonly_token) == std::string::npos);
    }

    TEST_CASE("the legacy Global API Key with e-mail works") {
        Fixture f;
        f.server.api().add_global_key("ops@demo.test", "0123456789abcdef0123456789abcdef01234");
        auto config = f.config("");
        config.credentials.email = "ops@demo.test";
        config.credentials.api_key = "0123456789abcdef0123456789abcdef01234";
        const std::vector<TxtRecord> one{record(k_challenge, k_apex_value)};
        REQUIRE(f.provider(config)->add(one).ok());
        CHECK(f.server.api().records().size() == 1);
        REQUIRE(f.provider(config)->remove(one).ok());
        CHECK(f.server.api().records().empty());
    }

    TEST_CASE("the zone is the most specific Cloudflare zone, looked up once per name") {
        Fixture f;
        const auto sub_id = f.server.api().add_zone("sub.demo.test");
        const std::string deep = "_acme-challenge.www.sub.demo.test";
        const std::vector<TxtRecord> records{record(deep, k_wildcard_value),
                                             record(deep, k_apex_value),
                                             record(k_challenge, k_apex_value)};
        REQUIRE(f.provider()->add(records).ok());
        for (const auto& entry : f.server.api().records_named(deep))
            CHECK(entry.zone_id == sub_id);
        for (const auto& entry : f.server.api().records_named(k_challenge))
            CHECK(entry.zone_id == f.zone_id);
        // Candidates: the deep name, www.sub..., sub.demo.test (found); then the apex name walk.
        CHECK(requests_starting(f.server.api(), "GET /client/v4/zones?name=" + deep) == 1);
        CHECK(requests_starting(f.server.api(), "GET /client/v4/zones?name=sub.demo.test") == 1);
        CHECK(requests_starting(f.server.api(), "GET /client/v4/zones?name=test") == 0);
    }

    TEST_CASE("zone_id skips the lookup; a record outside it is refused") {
        Fixture f;
        auto config = f.config();
        config.zone_id = f.zone_id;
        const std::vector<TxtRecord> one{record(k_challenge, k_apex_value)};
        REQUIRE(f.provider(config)->add(one).ok());
        CHECK(requests_starting(f.server.api(), "GET /client/v4/zones?") == 0);
        CHECK(f.server.api().records_named(k_challenge).size() == 1);

        const auto outside = f.provider(config)->add(
            std::vector<TxtRecord>{record("_acme-challenge.other.example", k_apex_value)});
        REQUIRE_FALSE(outside.ok());
        CHECK(outside.error().message.find("is not in zone demo.test") != std::string::npos);
    }

    TEST_CASE("account_id picks between zones of the same name") {
        fake::FakeCloudflare server;
        server.api().add_token(std::string(k_good_token));
        server.api().add_zone("demo.test", "aaaa0000aaaa0000aaaa0000aaaa0000");
        const auto wanted = server.api().add_zone("demo.test", "bbbb1111bbbb1111bbbb1111bbbb1111");
        REQUIRE(server.start().ok());
        cf::Config config;
        config.credentials.api_token = std::string(k_good_token);
        config.api_url = server.base_url();
        const std::vector<TxtRecord> one{record(k_challenge, k_apex_value)};

        const auto ambiguous = cf::make_provider(config)->add(one);
        REQUIRE_FALSE(ambiguous.ok());
        CHECK(ambiguous.error().message.find("set account_id or zone_id") != std::string::npos);

        config.account_id = "bbbb1111bbbb1111bbbb1111bbbb1111";
        REQUIRE(cf::make_provider(config)->add(one).ok());
        REQUIRE(server.api().records().size() == 1);
        CHECK(server.api().records().front().zone_id == wanted);
    }

    TEST_CASE("a name in no zone is a clear error") {
        Fixture f;
        const auto result = f.provider()->add(
            std::vector<TxtRecord>{record("_acme-challenge.nowhere.example", k_apex_value)});
        REQUIRE_FALSE(result.ok());
        CHECK(result.error().message.find("cloudflare: no Cloudflare zone holds "
                                          "_acme-challenge.nowhere.example") == 0);
    }

    TEST_CASE("settings: exactly one auth scheme, ttl range, secrets kept out of errors") {
        Fixture f;
        const auto url = at(f.server.base_url(), 3);
        CHECK(from_table({{"api_token", at(std::string(k_good_token), 2)}, {"api_url", url}}).ok());
        CHECK(from_table({{"email", at(std::string("ops@demo.test"), 2)},
                          {"api_key", at(std::string("k3y"), 3)},
                          {"api_url", url}})
                  .ok());

        const auto none = from_table({{"api_url", url}});
        REQUIRE_FALSE(none.ok());
        CHECK(none.error().kind == ErrorKind::profile);
        CHECK(none.error().message.rfind(
                  "/etc/wildcert/p.toml:9: dns.cloudflare: no credentials: set api_token", 0) == 0);

        const auto both = from_table({{"api_token", at(std::string(k_good_token), 2)},
                                      {"email", at(std::string("ops@demo.test"), 4)},
                                      {"api_key", at(std::string("s3cret-key"), 5)}});
        REQUIRE_FALSE(both.ok());
        CHECK(both.error().message.find("not both") != std::string::npos);
        CHECK(both.error().message.find(k_good_token) == std::string::npos);
        CHECK(both.error().message.find("s3cret-key") == std::string::npos);

        const auto email_only = from_table({{"email", at(std::string("ops@demo.test"), 4)}});
        REQUIRE_FALSE(email_only.ok());
        CHECK(email_only.error().message.rfind("/etc/wildcert/p.toml:4: dns.cloudflare.email: ",
                                               0) == 0);

        for (const std::int64_t ttl : {0, 30, 59, 86401}) {
            CAPTURE(ttl);
            const auto bad_ttl =
                from_table({{"api_token", at(std::string(k_good_token), 2)}, {"ttl", at(ttl, 6)}});
            REQUIRE_FALSE(bad_ttl.ok());
            CHECK(bad_ttl.error().message.find("dns.cloudflare.ttl: must be 1 (automatic)") !=
                  std::string::npos);
        }
        for (const std::int64_t ttl : {1, 60, 120, 86400})
            CHECK(from_table({{"api_token", at(std::string(k_good_token), 2)}, {"ttl", at(ttl, 6)}})
                      .ok());

        CHECK_FALSE(
            from_table({{"api_token", at(std::string(k_good_token), 2)},
                        {"api_url", at(std::string("http://api.example.com/client/v4"), 3)}})
                .ok());
        CHECK_FALSE(from_table({{"api_token", at(std::string(k_good_token), 2)},
                                {"zone_id", at(std::string("../../user"), 3)}})
                        .ok());

        setenv("WILDCERT_CLOUDFLARE_API_TOKEN", std::string(k_good_token).c_str(), 1);
        const auto from_env = cf::k_descriptor.create(
            ProviderConfig{"cloudflare", {{"api_url", url}}, "/etc/wildcert/p.toml:9"});
        unsetenv("WILDCERT_CLOUDFLARE_API_TOKEN");
        CHECK(from_env.ok());
    }

    TEST_CASE("the ttl setting reaches Cloudflare") {
        Fixture f;
        auto config = f.config();
        config.ttl = 1;
        REQUIRE(f.provider(config)
                    ->add(std::vector<TxtRecord>{record(k_challenge, k_apex_value)})
                    .ok());
        REQUIRE(f.server.api().records().size() == 1);
        CHECK(f.server.api().records().front().ttl == 1);
    }

    TEST_CASE("content quoting for the API") {
        CHECK(cf::quoted_content("abc") == "\"abc\"");
        CHECK(cf::quoted_content("a\"b\\c") == "\"a\\\"b\\\\c\"");
        CHECK(cf::content_matches("\"abc\"", "abc"));
        CHECK(cf::content_matches("abc", "abc"));
        CHECK_FALSE(cf::content_matches("\"abcd\"", "abc"));
        CHECK_FALSE(cf::content_matches("ABC", "abc"));
    }

    TEST_CASE("fake: TXT content, TTL and name rules") {
        CHECK_FALSE(fake::txt_content_problem("\"abc\""));
        CHECK_FALSE(fake::txt_content_problem("abc"));
        CHECK_FALSE(fake::txt_content_problem("\"a\" \"b\""));
        CHECK_FALSE(fake::txt_content_problem("\"say \\\"hi\\\"\""));
        CHECK(fake::txt_content_problem("\"this"));
        CHECK(fake::txt_content_problem("\"these\" ones\""));
        CHECK(fake::txt_content_problem(""));
        CHECK(fake::txt_content_problem(std::string(2049, 'a')));
        CHECK(fake::txt_dns_value("\"a\" \"b\"") == "ab");
        CHECK(fake::txt_dns_value("plain") == "plain");

        CHECK(fake::valid_ttl(1));
        CHECK(fake::valid_ttl(60));
        CHECK(fake::valid_ttl(86400));
        CHECK_FALSE(fake::valid_ttl(0));
        CHECK_FALSE(fake::valid_ttl(59));
        CHECK_FALSE(fake::valid_ttl(86401));

        CHECK(fake::full_record_name("_acme-challenge.Demo.Test.", "demo.test") == k_challenge);
        CHECK(fake::full_record_name("_acme-challenge", "demo.test") == k_challenge);
        CHECK(fake::full_record_name("@", "demo.test") == "demo.test");
    }

    TEST_CASE("fake: create, duplicate, delete and auth answers") {
        fake::FakeApi api;
        api.add_token("good");
        api.add_token("readonly", fake::Scopes{true, true, false});
        const auto zone = api.add_zone("demo.test");
        const auto request = [&](std::string method, std::string path, std::string body,
                                 std::string token = "good") {
            fake::FakeRequest in;
            in.method = std::move(method);
            in.path = "/client/v4" + path;
            in.target = in.path;
            in.body = std::move(body);
            if (!token.empty())
                in.headers.emplace("authorization", "Bearer " + token);
            return api.handle(in);
        };
        const std::string records = "/zones/" + zone + "/dns_records";
        const std::string txt =
            R"({"type":"TXT","name":"_acme-challenge.demo.test","content":"\"v\"","ttl":120})";

        CHECK(request("POST", records, txt).status == 200);
        const auto duplicate = request("POST", records, txt);
        CHECK(duplicate.status == 400);
        CHECK(duplicate.body.find("81058") != std::string::npos);
        const auto bad_ttl =
            request("POST", records, R"({"type":"TXT","name":"x","content":"\"w\"","ttl":30})");
        CHECK(bad_ttl.status == 400);
        CHECK(bad_ttl.body.find("TTL must be between 60 and 86400") != std::string::npos);
        CHECK(request("POST", records, R"({"type":"TXT","name":"x","content":"\"w"})").status ==
              400);
        CHECK(request("POST", records, txt, "readonly").status == 403);
        CHECK(request("POST", records, txt, "nope").status == 403);
        CHECK(request("GET", records, "", "").status == 400);

        const auto missing = request("DELETE", records + "/0123456789abcdef0123456789abcdef", "");
        CHECK(missing.status == 404);
        CHECK(missing.body.find("81044") != std::string::npos);
        const auto id = api.records().front().id;
        CHECK(request("DELETE", records + "/" + id, "").status == 200);
        CHECK(api.records().empty());
        CHECK(request("GET", "/nowhere", "").status == 400);
    }

} // TEST_SUITE

TEST_SUITE("cloudflare check_access") {
    TEST_CASE("check_access finds the zone and reads its records, writing nothing") {
        Fixture f;
        const std::vector<std::string> zones{"demo.test."};
        const auto access = f.provider()->check_access(zones);
        REQUIRE_MESSAGE(access.ok(), (access.ok() ? "" : access.error().message));
        CHECK(access->verified);
        CHECK(access->description.find("demo.test (zone id " + f.zone_id + ")") !=
              std::string::npos);
        CHECK(access->description.find(k_good_token) == std::string::npos);
        CHECK(requests_starting(f.server.api(), "GET /client/v4/zones?name=demo.test") == 1);
        CHECK(requests_starting(f.server.api(), "POST ") == 0);
        CHECK(requests_starting(f.server.api(), "DELETE ") == 0);

        const std::string bad_token = "cfut_WrongWrongWrongWrongWrongWrongWrong03";
        const auto refused = f.provider(f.config(bad_token))->check_access(zones);
        REQUIRE_FALSE(refused.ok());
        CHECK(refused.error().message.rfind("cloudflare: ", 0) == 0);
        CHECK(refused.error().message.find("9109 Invalid access token") != std::string::npos);
        CHECK(refused.error().message.find(bad_token) == std::string::npos);

        const auto missing = f.provider()->check_access(std::vector<std::string>{"other.test."});
        REQUIRE_FALSE(missing.ok());
        CHECK(missing.error().message.find("other.test") != std::string::npos);
    }
}
