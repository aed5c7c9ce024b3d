// Unit tests for profile values from WILDCERT_* variables (src/config/env_overlay.hpp). The
// environment is injected: these tests never change the process environment.
#include <doctest/doctest.h>

#include "error_text.hpp"

#include "temp_dir.hpp"

#include "config/env_keys.hpp"
#include "config/env_overlay.hpp"
#include "config/load.hpp"
#include "config/profile_keys.hpp"
#include "config/redacted.hpp"
#include "providers/cloudflare/cloudflare_provider.hpp"
#include "providers/descriptor.hpp"

#include <wildcert/profile.hpp>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <system_error>
#include <unistd.h>

using wildcert::test::without_column;

namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;
using Variables = std::map<std::string, std::string>;

using wildcert::test::TempDir;

// A profile of every kind of key, with values the variables below replace.
const std::string k_profile = "[acme]\n"                                  // 1
                              "directory = \"https://file.test/dir\"\n"   // 2
                              "contact = [\"mailto:file@example.com\"]\n" // 3
                              "accept_terms = false\n"                    // 4
                              "[dns]\n"                                   // 5
                              "provider = \"rfc2136\"\n"                  // 6
                              "propagation_timeout = \"30s\"\n"           // 7
                              "ttl = 60\n"                                // 8
                              "[dns.rfc2136]\n"                           // 9
                              "server = \"127.0.0.1:53\"\n"               // 10
                              "tsig_key = \"k\"\n"                        // 11
                              "tsig_secret = \"ZmlsZS1zZWNyZXQ=\"\n"      // 12
                              "[[certificate]]\n"                         // 13
                              "name = \"www-site\"\n"                     // 14
                              "domains = [\"www.example.com\"]\n"         // 15
                              "[[certificate]]\n"                         // 16
                              "name = \"api.site\"\n"                     // 17
                              "domains = [\"api.example.com\"]\n"         // 18
                              "key = \"ec-p384\"\n";                      // 19

wildcert::config::EnvLookup lookup_in(const Variables& variables) {
    return [variables](const std::string& name) -> std::optional<std::string> {
        const auto found = variables.find(name);
        if (found == variables.end())
            return std::nullopt;
        return found->second;
    };
}

wildcert::config::EnvNames names_in(const Variables& variables) {
    return [variables] {
        std::vector<std::string> names;
        for (const auto& [name, value] : variables)
            names.push_back(name);
        return names;
    };
}

wildcert::Result<wildcert::Profile> load(const TempDir& dir, const std::string& text,
                                         const Variables& variables) {
    return wildcert::config::load_profile_with_environment(
        dir.write("profile.toml", text), lookup_in(variables), names_in(variables));
}

std::string load_error(const std::string& text, const Variables& variables) {
    const TempDir dir;
    const auto profile = load(dir, text, variables);
    REQUIRE_FALSE(profile.ok());
    CHECK(profile.error().kind == wildcert::ErrorKind::profile);
    return profile.error().message;
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

const wildcert::SettingValue& setting(const wildcert::Profile& profile, const std::string& key) {
    return profile.dns.provider.settings.at(key);
}

} // namespace

TEST_SUITE("config_env") {

    TEST_CASE("without variables the file is read as it is") {
        const TempDir dir;
        const auto profile = load(dir, k_profile, {});
        REQUIRE_MESSAGE(profile.ok(), (profile.ok() ? "" : profile.error().message));
        CHECK(profile->acme.directory_url == "https://file.test/dir");
        CHECK(profile->dns.ttl == 60s);
        CHECK(without_column(setting(*profile, "tsig_secret").origin) ==
              dir.path().string() + "/profile.toml:12");
    }

    TEST_CASE("every type converts, and the environment wins over the file") {
        const TempDir dir;
        const auto profile =
            load(dir, k_profile,
                 {{"WILDCERT_ACME_DIRECTORY", "https://env.test/dir"}, // string
                  {"WILDCERT_ACME_ACCEPT_TERMS", "true"},              // boolean
                  {"WILDCERT_ACME_CONTACT", "mailto:a@example.com, mailto:b@example.com"}, // array
                  {"WILDCERT_DNS_TTL", "300"},                   // integer
                  {"WILDCERT_DNS_PROPAGATION_TIMEOUT", "1m30s"}, // duration text
                  {"WILDCERT_DNS_POLLING_INTERVAL", "5"},        // duration seconds
                  {"WILDCERT_DNS_RESOLVERS", " 127.0.0.1:5300 ,127.0.0.2:53"},
                  {"WILDCERT_DNS_PROPAGATION_CHECK", "none"}});
        REQUIRE_MESSAGE(profile.ok(), (profile.ok() ? "" : profile.error().message));
        CHECK(profile->acme.directory_url == "https://env.test/dir");
        CHECK(profile->acme.accept_terms);
        CHECK(profile->acme.contact ==
              std::vector<std::string>{"mailto:a@example.com", "mailto:b@example.com"});
        CHECK(profile->dns.ttl == 300s);
        CHECK(profile->dns.propagation_timeout == 90s);
        CHECK(profile->dns.polling_interval == 5s);
        CHECK(profile->dns.resolvers == std::vector<std::string>{"127.0.0.1:5300", "127.0.0.2:53"});
        CHECK(profile->dns.propagation_check == wildcert::PropagationCheck::none);
        // Keys no variable names keep the file's values.
        CHECK(profile->dns.provider.name == "rfc2136");
        CHECK(std::get<std::string>(setting(*profile, "server").value) == "127.0.0.1:53");
    }

    TEST_CASE("a provider key is set through WILDCERT_DNS_<PROVIDER>_<KEY>, even with no table") {
        const TempDir dir;
        std::string text = k_profile;
        // No [dns.rfc2136] table at all: every provider key comes from the environment.
        text.erase(text.find("[dns.rfc2136]"),
                   text.find("[[certificate]]") - text.find("[dns.rfc2136]"));
        const auto profile = load(dir, text,
                                  {{"WILDCERT_DNS_RFC2136_SERVER", "127.0.0.1:5353"},
                                   {"WILDCERT_DNS_RFC2136_TSIG_KEY", "env-key"},
                                   {"WILDCERT_DNS_RFC2136_TSIG_SECRET", "ZW52LXNlY3JldA=="}});
        REQUIRE_MESSAGE(profile.ok(), (profile.ok() ? "" : profile.error().message));
        CHECK(std::get<std::string>(setting(*profile, "server").value) == "127.0.0.1:5353");
        CHECK(std::get<std::string>(setting(*profile, "tsig_key").value) == "env-key");
        CHECK(std::get<std::string>(setting(*profile, "tsig_secret").value) == "ZW52LXNlY3JldA==");
        CHECK(without_column(setting(*profile, "tsig_secret").origin) ==
              "environment WILDCERT_DNS_RFC2136_TSIG_SECRET");
        CHECK(setting(*profile, "tsig_secret").from_environment);
    }

    TEST_CASE("a variable replaces the key's <key>_file twin in the file, and the reverse") {
        const TempDir dir;
        const fs::path secret = dir.write("tsig.secret", "ZmlsZS1zZWNyZXQ=\n");
        std::string text = k_profile;
        const std::string inline_secret = "tsig_secret = \"ZmlsZS1zZWNyZXQ=\"\n";
        text.replace(text.find(inline_secret), inline_secret.size(),
                     "tsig_secret_file = \"tsig.secret\"\n");
        const auto from_variable =
            load(dir, text, {{"WILDCERT_DNS_RFC2136_TSIG_SECRET", "ZW52LXNlY3JldA=="}});
        REQUIRE_MESSAGE(from_variable.ok(),
                        (from_variable.ok() ? "" : from_variable.error().message));
        CHECK(std::get<std::string>(setting(*from_variable, "tsig_secret").value) ==
              "ZW52LXNlY3JldA==");

        // The variable's path is absolute here; a relative one is taken from the working
        // directory (see the ca_bundle case below).
        const auto from_file =
            load(dir, k_profile, {{"WILDCERT_DNS_RFC2136_TSIG_SECRET_FILE", secret.string()}});
        REQUIRE_MESSAGE(from_file.ok(), (from_file.ok() ? "" : from_file.error().message));
        CHECK(std::get<std::string>(setting(*from_file, "tsig_secret").value) ==
              "ZmlsZS1zZWNyZXQ=");
        CHECK(setting(*from_file, "tsig_secret").origin ==
              "environment WILDCERT_DNS_RFC2136_TSIG_SECRET_FILE");
    }

    TEST_CASE("provider values are typed by the provider's descriptor") {
        wildcert::ProviderConfig config;
        config.name = "cloudflare";
        config.origin = "profile.toml:6";
        config.settings.insert_or_assign(
            "api_token",
            wildcert::SettingValue{std::string("token-123"), "environment X_TOKEN", true});
        config.settings.insert_or_assign(
            "ttl", wildcert::SettingValue{std::string("300"),
                                          "environment WILDCERT_DNS_CLOUDFLARE_TTL", true});
        const auto settings = wildcert::providers::Settings::resolve(
            wildcert::providers::cloudflare::k_descriptor, config);
        REQUIRE_MESSAGE(settings.ok(), (settings.ok() ? "" : settings.error().message));
        CHECK(settings->integer("ttl") == 300);
        CHECK(settings->string("api_token") == "token-123");
        CHECK(settings->where("ttl") ==
              "environment WILDCERT_DNS_CLOUDFLARE_TTL: dns.cloudflare.ttl");

        config.settings.at("ttl").value = std::string("soon");
        const auto bad = wildcert::providers::Settings::resolve(
            wildcert::providers::cloudflare::k_descriptor, config);
        REQUIRE_FALSE(bad.ok());
        CHECK(contains(bad.error().message,
                       "environment WILDCERT_DNS_CLOUDFLARE_TTL: dns.cloudflare.ttl: expected an "
                       "integer"));

        // From the file, text where an integer belongs stays an error.
        config.settings.at("ttl") = wildcert::SettingValue{std::string("300"), "profile.toml:9"};
        CHECK_FALSE(wildcert::providers::Settings::resolve(
                        wildcert::providers::cloudflare::k_descriptor, config)
                        .ok());
    }

    TEST_CASE("certificates are addressed by name") {
        const TempDir dir;
        const auto profile =
            load(dir, k_profile,
                 {{"WILDCERT_CERTIFICATE_WWW_SITE_DOMAINS", "*.example.com,example.com"},
                  {"WILDCERT_CERTIFICATE_WWW_SITE_REUSE_KEY", "true"},
                  {"WILDCERT_CERTIFICATE_API_SITE_KEY", "rsa-2048"},
                  {"WILDCERT_CERTIFICATE_API_SITE_RENEW_BEFORE", "30d"}});
        REQUIRE_MESSAGE(profile.ok(), (profile.ok() ? "" : profile.error().message));
        REQUIRE(profile->certificates.size() == 2);
        const auto& www = profile->certificates[0];
        const auto& api = profile->certificates[1];
        CHECK(www.name == "www-site");
        CHECK(www.domains == std::vector<std::string>{"*.example.com", "example.com"});
        CHECK(www.reuse_key);
        CHECK(www.key == wildcert::KeyType::ec_p256);
        CHECK(api.name == "api.site");
        CHECK(api.domains == std::vector<std::string>{"api.example.com"});
        CHECK(api.key == wildcert::KeyType::rsa_2048);
        CHECK(api.renew_before.duration == std::chrono::seconds(30 * 86400));
        CHECK_FALSE(api.reuse_key);
    }

    TEST_CASE("a name that addresses two certificates is an error naming both") {
        const std::string text = "[acme]\ndirectory = \"https://ca.test/dir\"\n"
                                 "[dns]\nprovider = \"rfc2136\"\n"
                                 "[[certificate]]\nname = \"a.b\"\ndomains = [\"a.example\"]\n"
                                 "[[certificate]]\nname = \"a-b\"\ndomains = [\"b.example\"]\n";
        const std::string message =
            load_error(text, {{"WILDCERT_CERTIFICATE_A_B_KEY", "rsa-2048"}});
        CHECK(contains(message, "environment WILDCERT_CERTIFICATE_A_B_KEY: "));
        CHECK(contains(message, "\"a.b\""));
        CHECK(contains(message, "\"a-b\""));
    }

    TEST_CASE("a misspelt profile variable is an error naming it") {
        struct Case {
            const char* name;
            const char* hint; // a known variable the message should offer
        };
        for (const Case& c :
             {Case{"WILDCERT_ACME_DIRECTORY_URL", "WILDCERT_ACME_DIRECTORY"},
              Case{"WILDCERT_ACME_EAB_HMAC", "WILDCERT_ACME_EAB_HMAC_KEY"},
              Case{"WILDCERT_DNS_TTLS", "WILDCERT_DNS_TTL"},
              Case{"WILDCERT_DNS_CLOUDFLARE_API_TOKEN", "WILDCERT_DNS_RFC2136_<KEY>"},
              Case{"WILDCERT_CERTIFICATE_WWW_SITE_DOMAIN", "WWW_SITE"},
              Case{"WILDCERT_CERTIFICATE_WWW_SITE_NAME", "DOMAINS"},
              Case{"WILDCERT_CERTIFICATE_WWW_SITE_OUTPUT", "output"},
              Case{"WILDCERT_CERTIFICATE_OTHER_DOMAINS", "API_SITE"}}) {
            CAPTURE(c.name);
            const std::string message = load_error(k_profile, {{c.name, "value-never-shown"}});
            CHECK(message.starts_with(std::string("environment ") + c.name +
                                      ": matches no profile key"));
            CHECK(contains(message, c.hint));
            CHECK_FALSE(contains(message, "value-never-shown"));
        }
    }

    TEST_CASE("WILDCERT_* variables that are not profile keys are left alone") {
        const TempDir dir;
        const auto profile = load(dir, k_profile,
                                  {{"WILDCERT_STATE_DIR", "/tmp/x"},
                                   {"WILDCERT_RFC2136_TSIG_SECRET", "b3RoZXI="},
                                   {"WILDCERT_NAME", "demo"},
                                   {"WILDCERT_DOMAINS", "a b"},
                                   {"WILDCERT_CERT", "/x"}});
        REQUIRE_MESSAGE(profile.ok(), (profile.ok() ? "" : profile.error().message));
        CHECK(std::get<std::string>(setting(*profile, "tsig_secret").value) == "ZmlsZS1zZWNyZXQ=");
    }

    TEST_CASE("an empty variable counts as unset") {
        const TempDir dir;
        const auto profile =
            load(dir, k_profile, {{"WILDCERT_DNS_TTL", ""}, {"WILDCERT_ACME_DIRECTORY_URL", ""}});
        REQUIRE_MESSAGE(profile.ok(), (profile.ok() ? "" : profile.error().message));
        CHECK(profile->dns.ttl == 60s);
    }

    TEST_CASE("a value that does not convert is an error naming the variable") {
        CHECK(load_error(k_profile, {{"WILDCERT_DNS_TTL", "sixty"}}) ==
              "environment WILDCERT_DNS_TTL: dns.ttl: the value (not shown) is not a duration "
              "(write e.g. "
              "\"500ms\", \"90s\", \"5m\", \"1h\", \"1d\" or \"1m30s\")");
        CHECK(load_error(k_profile, {{"WILDCERT_ACME_ACCEPT_TERMS", "yes"}}) ==
              "environment WILDCERT_ACME_ACCEPT_TERMS: expected a boolean (true or false)");
        CHECK(load_error(k_profile, {{"WILDCERT_CERTIFICATE_API_SITE_REUSE_KEY", "1"}}) ==
              "environment WILDCERT_CERTIFICATE_API_SITE_REUSE_KEY: expected a boolean (true or "
              "false)");
    }

    TEST_CASE("the file's checks apply to variables, and their errors name the variable") {
        CHECK(load_error(k_profile, {{"WILDCERT_DNS_TTL", "0"}}) ==
              "environment WILDCERT_DNS_TTL: dns.ttl: the value (not shown) is out of range (1s to "
              "1d, "
              "86400 seconds)");
        CHECK(contains(load_error(k_profile, {{"WILDCERT_ACME_DIRECTORY", "ftp://ca.test"}}),
                       "environment WILDCERT_ACME_DIRECTORY: acme.directory: the value (not "
                       "shown) is neither"));
        CHECK(contains(load_error(k_profile, {{"WILDCERT_DNS_PROPAGATION_TIMEOUT", "soon"}}),
                       "environment WILDCERT_DNS_PROPAGATION_TIMEOUT: dns.propagation_timeout: "));
        CHECK(load_error(k_profile,
                         {{"WILDCERT_CERTIFICATE_WWW_SITE_DOMAINS", "a.example,a.example"}}) ==
              "environment WILDCERT_CERTIFICATE_WWW_SITE_DOMAINS: certificate[1].domains[2]: "
              "the value (not shown) is listed twice");
        CHECK(contains(load_error(k_profile, {{"WILDCERT_ACME_CONTACT", "ops@example.com"}}),
                       "environment WILDCERT_ACME_CONTACT: acme.contact[1]: "));
        // A table made for a variable reports what it lacks at that variable.
        CHECK(contains(load_error(k_profile, {{"WILDCERT_ACME_EAB_KEY_ID", "kid-1"}}),
                       "environment WILDCERT_ACME_EAB_KEY_ID: acme.eab.hmac_key: missing"));
    }

    TEST_CASE("secrets from variables are never echoed") {
        const std::string secret = "c2VjcmV0!not-base64";
        const std::string eab = load_error(k_profile, {{"WILDCERT_ACME_EAB_KEY_ID", "kid-1"},
                                                       {"WILDCERT_ACME_EAB_HMAC_KEY", secret}});
        CHECK(contains(eab, "environment WILDCERT_ACME_EAB_HMAC_KEY: acme.eab.hmac_key: "));
        CHECK_FALSE(contains(eab, secret));
        CHECK_FALSE(contains(eab, "c2VjcmV0"));

        // A misspelt secret's name is reported by the provider, without the value.
        const TempDir dir;
        const auto profile = load(dir, k_profile, {{"WILDCERT_DNS_RFC2136_TSIG_SECRT", secret}});
        REQUIRE_MESSAGE(profile.ok(), (profile.ok() ? "" : profile.error().message));
        const auto provider = wildcert::providers::create_provider(profile->dns.provider);
        REQUIRE_FALSE(provider.ok());
        CHECK(contains(provider.error().message,
                       "environment WILDCERT_DNS_RFC2136_TSIG_SECRT: dns.rfc2136.tsig_secrt: "
                       "unknown key"));
        CHECK_FALSE(contains(provider.error().message, "c2VjcmV0"));

        // The effective configuration shows where a secret came from, never what it is.
        const auto good = load(dir, k_profile,
                               {{"WILDCERT_DNS_RFC2136_TSIG_SECRET", "ZW52LXNlY3JldA=="},
                                {"WILDCERT_ACME_EAB_KEY_ID", "kid-1"},
                                {"WILDCERT_ACME_EAB_HMAC_KEY", "ZW52LWhtYWMta2V5"}});
        REQUIRE_MESSAGE(good.ok(), (good.ok() ? "" : good.error().message));
        const std::string shown = wildcert::config::describe_profile(
            *good, [](std::string_view, std::string_view key) { return key == "tsig_secret"; });
        CHECK(contains(shown, "# environment WILDCERT_DNS_RFC2136_TSIG_SECRET"));
        CHECK(contains(shown, "[acme.eab]  # environment WILDCERT_ACME_EAB_"));
        CHECK_FALSE(contains(shown, "ZW52LXNlY3JldA=="));
        CHECK_FALSE(contains(shown, "ZW52LWhtYWMta2V5"));
        CHECK(good->acme.eab->hmac_key == "ZW52LWhtYWMta2V5");
    }

    TEST_CASE("${VAR} in the file still works, and a variable's value is taken literally") {
        const TempDir dir;
        std::string text = k_profile;
        const std::string inline_secret = "tsig_secret = \"ZmlsZS1zZWNyZXQ=\"\n";
        text.replace(text.find(inline_secret), inline_secret.size(),
                     "tsig_secret = \"${TSIG_SECRET}\"\n");
        const auto interpolated = load(dir, text, {{"TSIG_SECRET", "aW50ZXJwb2xhdGVk"}});
        REQUIRE_MESSAGE(interpolated.ok(), (interpolated.ok() ? "" : interpolated.error().message));
        CHECK(std::get<std::string>(setting(*interpolated, "tsig_secret").value) ==
              "aW50ZXJwb2xhdGVk");

        // A variable overrides a ${VAR} whose variable is not even set.
        const auto literal = load(dir, text,
                                  {{"WILDCERT_DNS_RFC2136_TSIG_KEY", "key-${HOME}"},
                                   {"WILDCERT_DNS_RFC2136_TSIG_SECRET", "bGl0ZXJhbA=="}});
        REQUIRE_MESSAGE(literal.ok(), (literal.ok() ? "" : literal.error().message));
        CHECK(std::get<std::string>(setting(*literal, "tsig_key").value) == "key-${HOME}");
        CHECK(std::get<std::string>(setting(*literal, "tsig_secret").value) == "bGl0ZXJhbA==");

        // A ${VAR} certificate name is addressed by its expanded value.
        std::string named = k_profile;
        named.replace(named.find("\"www-site\""), 10, "\"${SITE}\"");
        const auto addressed =
            load(dir, named,
                 {{"SITE", "shop"}, {"WILDCERT_CERTIFICATE_SHOP_DOMAINS", "shop.example.com"}});
        REQUIRE_MESSAGE(addressed.ok(), (addressed.ok() ? "" : addressed.error().message));
        CHECK(addressed->certificates[0].domains == std::vector<std::string>{"shop.example.com"});
    }

    TEST_CASE("a relative path from a variable is taken from the working directory") {
        const TempDir dir;
        const std::string name = "wildcert-env-test-ca-" + std::to_string(::getpid()) + ".pem";
        dir.write(name, "-----BEGIN CERTIFICATE-----\n");
        REQUIRE_FALSE(fs::exists(fs::current_path() / name));
        const auto relative = load(dir, k_profile, {{"WILDCERT_ACME_CA_BUNDLE", name}});
        REQUIRE_FALSE(relative.ok());
        CHECK(contains(relative.error().message,
                       "environment WILDCERT_ACME_CA_BUNDLE: acme.ca_bundle: the value (not "
                       "shown) does not exist"));
        const auto absolute =
            load(dir, k_profile, {{"WILDCERT_ACME_CA_BUNDLE", (dir.path() / name).string()}});
        REQUIRE_MESSAGE(absolute.ok(), (absolute.ok() ? "" : absolute.error().message));
        CHECK(absolute->acme.ca_bundle == dir.path() / name);
    }

    // Guards the one table of settable keys (env_keys.cpp) against a key added to a reader
    // only. Every key a reader accepts is in the documented key table (reject_unknown refuses
    // a read key missing from it), so that table is the reference.
    TEST_CASE("every key a section reader accepts has a variable") {
        const auto settable = [](const std::string& path, bool certificate) {
            for (const auto& key : certificate ? wildcert::config::certificate_env_keys()
                                               : wildcert::config::section_env_keys()) {
                if (key.path == path)
                    return true;
            }
            return false;
        };
        std::size_t checked = 0;
        for (const auto& key : wildcert::config::profile_keys()) {
            const std::string section(key.section);
            const std::string name(key.key);
            CAPTURE(section);
            CAPTURE(name);
            // Tables hold keys of their own; a certificate's name is what a variable's name
            // is made from, so it cannot be one.
            if (key.type == "table" || key.type == "array of tables" || name.starts_with('<'))
                continue;
            if (section == "certificate") {
                if (name != "name") {
                    CHECK(settable(name, true));
                    ++checked;
                }
            } else if (section == "acme" || section == "acme.eab" || section == "dns") {
                CHECK(settable(section + "." + name, false));
                ++checked;
            }
        }
        CHECK(checked > 20);
    }

    TEST_CASE("profile_variables keeps the profile's variables, sorted, without empty ones") {
        const Variables variables{{"WILDCERT_DNS_TTL", "5"},
                                  {"WILDCERT_ACME_DIRECTORY", "x"},
                                  {"WILDCERT_ACME_CONTACT", ""},
                                  {"WILDCERT_STATE_DIR", "/s"},
                                  {"PATH", "/bin"}};
        const auto found =
            wildcert::config::profile_variables(lookup_in(variables), names_in(variables));
        REQUIRE(found.size() == 2);
        CHECK(found[0].name == "WILDCERT_ACME_DIRECTORY");
        CHECK(found[1].name == "WILDCERT_DNS_TTL");
        CHECK(found[1].value == "5");
        CHECK(wildcert::config::profile_variables(lookup_in(variables), {}).empty());
    }

    // The mechanism behind every reader's messages: whatever key a variable sets, a value that
    // is wrong for it is reported by the variable's name and never echoed (a secret exported
    // under the wrong name must not reach a CI log).
    TEST_CASE("a secret in any WILDCERT_* variable is never echoed, whichever key it sets") {
        const std::string secret = "c2VjcmV0LXRzaWctdmFsdWU=";
        std::size_t rejected = 0;
        const auto try_variable = [&](const std::string& name) {
            CAPTURE(name);
            const TempDir dir;
            const auto profile = load(dir, k_profile, {{name, secret}});
            std::string message;
            if (!profile.ok()) {
                message = profile.error().message;
            } else {
                const auto provider = wildcert::providers::create_provider(profile->dns.provider);
                if (provider.ok())
                    return;
                message = provider.error().message;
            }
            ++rejected;
            CAPTURE(message);
            CHECK(contains(message, name));
            CHECK_FALSE(contains(message, "c2VjcmV0"));
        };
        for (const auto& key : wildcert::config::section_env_keys())
            try_variable("WILDCERT_" + wildcert::config::env_name_part(key.path));
        for (const auto& key : wildcert::config::certificate_env_keys())
            try_variable("WILDCERT_CERTIFICATE_WWW_SITE_" +
                         wildcert::config::env_name_part(key.path));
        // A provider's own integer setting, typed by its descriptor.
        try_variable("WILDCERT_DNS_RFC2136_TIMEOUT");
        // directory, ca_bundle, account_key, contact, provider, resolvers, ... at the least.
        CHECK(rejected >= 12);
    }

    TEST_CASE("an interpolated dns.provider is shown as written, not as its value") {
        std::string text = k_profile;
        text.replace(text.find("\"rfc2136\"\n"), 10, "\"${PROVIDER}\"\n");
        const std::string message = load_error(text, {{"PROVIDER", "secretprovider"}});
        CHECK(contains(without_column(message),
                       "profile.toml:9: dns.rfc2136: settings for provider \"rfc2136\", "
                       "but dns.provider is '${PROVIDER}' (after interpolation)"));
        CHECK_FALSE(contains(message, "secretprovider"));
    }
}
