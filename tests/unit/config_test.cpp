// Unit tests for config: profile loading, validation and error locations.
#include <doctest/doctest.h>

#include "error_text.hpp"

#include "temp_dir.hpp"

#include "config/domain_name.hpp"
#include "config/duration.hpp"
#include "config/interpolate.hpp"
#include "config/load.hpp"
#include "config/redacted.hpp"
#include "config/server_spec.hpp"

#include <wildcert/profile.hpp>

#include <atomic>
#include <cstdlib>
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

// A fresh folder under the system temp folder, removed with everything in it at scope exit.
using wildcert::test::TempDir;

// Profiles in these tests put [acme] on line 1 so that line numbers can be counted by eye.
const std::string k_acme_and_dns = "[acme]\n"                              // 1
                                   "directory = \"https://ca.test/dir\"\n" // 2
                                   "[dns]\n"                               // 3
                                   "provider = \"rfc2136\"\n";             // 4

const std::string k_minimal = k_acme_and_dns + "[[certificate]]\n"              // 5
                                               "name = \"example\"\n"           // 6
                                               "domains = [\"example.com\"]\n"; // 7

wildcert::Result<wildcert::Profile> load_text(const TempDir& dir, const std::string& text) {
    return wildcert::load_profile(dir.write("profile.toml", text));
}

std::string load_error(const std::string& text) {
    const TempDir dir;
    const auto profile = load_text(dir, text);
    REQUIRE_FALSE(profile.ok());
    CHECK(profile.error().kind == wildcert::ErrorKind::profile);
    return profile.error().message;
}

// Asserts the "<file>:<line>: <key>: " prefix of the error that `text` causes.
void check_error_at(const std::string& text, int line, const std::string& key,
                    const std::string& also = "") {
    const std::string message = without_column(load_error(text));
    INFO("message: " << message);
    CHECK(message.find("profile.toml:" + std::to_string(line) + ": " + key + ": ") !=
          std::string::npos);
    if (!also.empty())
        CHECK(message.find(also) != std::string::npos);
}

const std::string& text_setting(const wildcert::Profile& profile, const std::string& key) {
    return std::get<std::string>(profile.dns.provider.settings.at(key).value);
}

} // namespace

TEST_SUITE("config") {

    TEST_CASE("a full profile loads with every field") {
        const TempDir dir;
        dir.write("certs/ca.pem", "-----BEGIN CERTIFICATE-----\n");
        const auto profile =
            load_text(dir,
                      "# wildcert profile\n"                                               // 1
                      "[acme]\n"                                                           // 2
                      "directory = \"letsencrypt-staging\"\n"                              // 3
                      "ca_bundle = \"certs/ca.pem\"\n"                                     // 4
                      "contact = [\"mailto:ops@example.com\", \"mailto:b@example.com\"]\n" // 5
                      "accept_terms = true\n"                                              // 6
                      "account_key = \"rsa-3072\"\n"                                       // 7
                      "\n"                                                                 // 8
                      "[dns]\n"                                                            // 9
                      "provider = \"rfc2136\"\n"                                           // 10
                      "resolvers = [\"127.0.0.1:53\", \"[::1]:5353\"]\n"                   // 11
                      "nameservers = [\"ns1.example.com:53\"]\n"                           // 12
                      "propagation_check = \"resolvers\"\n"                                // 13
                      "propagation_wait = \"1m30s\"\n"                                     // 14
                      "propagation_timeout = 300\n"                                        // 15
                      "polling_interval = \"500ms\"\n"                                     // 16
                      "ttl = 120\n"                                                        // 17
                      "\n"                                                                 // 18
                      "[dns.rfc2136]\n"                                                    // 19
                      "server = \"127.0.0.1:5300\"\n"                                      // 20
                      "tsig_key = \"acme-key\"\n"                                          // 21
                      "timeout = 5\n"                                                      // 22
                      "verify = false\n"                                                   // 23
                      "\n"                                                                 // 24
                      "[[certificate]]\n"                                                  // 25
                      "name = \"example\"\n"                                               // 26
                      "domains = [\"*.Example.COM\", \"example.com\"]\n"                   // 27
                      "key = \"ec-p384\"\n"                                                // 28
                      "reuse_key = true\n"                                                 // 29
                      "\n"                                                                 // 30
                      "[[certificate]]\n"                                                  // 31
                      "name = \"mail\"\n"                                                  // 32
                      "domains = [\"mail.example.org\"]\n");                               // 33
        REQUIRE_MESSAGE(profile.ok(), (profile.ok() ? "" : profile.error().message));

        CHECK(profile->path == dir.path() / "profile.toml");
        CHECK(profile->acme.directory_url ==
              "https://acme-staging-v02.api.letsencrypt.org/directory");
        REQUIRE(profile->acme.ca_bundle.has_value());
        CHECK(*profile->acme.ca_bundle == dir.path() / "certs" / "ca.pem");
        CHECK(profile->acme.contact ==
              std::vector<std::string>{"mailto:ops@example.com", "mailto:b@example.com"});
        CHECK(profile->acme.accept_terms);
        CHECK(profile->acme.account_key == wildcert::KeyType::rsa_3072);

        const auto& dns = profile->dns;
        CHECK(dns.resolvers == std::vector<std::string>{"127.0.0.1:53", "[::1]:5353"});
        CHECK(dns.nameservers == std::vector<std::string>{"ns1.example.com:53"});
        CHECK(dns.propagation_check == wildcert::PropagationCheck::resolvers);
        CHECK(dns.propagation_wait == 90s);
        CHECK(dns.propagation_timeout == 300s);
        CHECK(dns.polling_interval == 500ms);
        CHECK(dns.ttl == 120s);

        const std::string origin_prefix = (dir.path() / "profile.toml").string() + ":";
        CHECK(dns.provider.name == "rfc2136");
        CHECK(without_column(dns.provider.origin) == origin_prefix + "10");
        REQUIRE(dns.provider.settings.size() == 4);
        CHECK(text_setting(*profile, "server") == "127.0.0.1:5300");
        CHECK(without_column(dns.provider.settings.at("server").origin) == origin_prefix + "20");
        CHECK(text_setting(*profile, "tsig_key") == "acme-key");
        CHECK(without_column(dns.provider.settings.at("tsig_key").origin) == origin_prefix + "21");
        CHECK(std::get<std::int64_t>(dns.provider.settings.at("timeout").value) == 5);
        CHECK(without_column(dns.provider.settings.at("timeout").origin) == origin_prefix + "22");
        CHECK(std::get<bool>(dns.provider.settings.at("verify").value) == false);

        REQUIRE(profile->certificates.size() == 2);
        const auto& first = profile->certificates[0];
        CHECK(first.name == "example");
        CHECK(first.domains == std::vector<std::string>{"*.example.com", "example.com"});
        CHECK(first.key == wildcert::KeyType::ec_p384);
        CHECK(first.reuse_key);
        CHECK(without_column(first.origin) == origin_prefix + "25");
        const auto& second = profile->certificates[1];
        CHECK(second.name == "mail");
        CHECK(second.domains == std::vector<std::string>{"mail.example.org"});
        CHECK(second.key == wildcert::KeyType::ec_p256);
        CHECK_FALSE(second.reuse_key);
        CHECK(without_column(second.origin) == origin_prefix + "31");
    }

    TEST_CASE("defaults apply to a minimal profile") {
        const TempDir dir;
        const auto profile = load_text(dir, k_minimal);
        REQUIRE_MESSAGE(profile.ok(), (profile.ok() ? "" : profile.error().message));
        CHECK(profile->acme.directory_url == "https://ca.test/dir");
        CHECK_FALSE(profile->acme.ca_bundle.has_value());
        CHECK(profile->acme.contact.empty());
        CHECK_FALSE(profile->acme.accept_terms);
        CHECK(profile->acme.account_key == wildcert::KeyType::ec_p256);
        CHECK(profile->dns.resolvers.empty());
        CHECK(profile->dns.nameservers.empty());
        CHECK(profile->dns.propagation_check == wildcert::PropagationCheck::authoritative);
        CHECK(profile->dns.propagation_wait == 0ms);
        CHECK(profile->dns.propagation_timeout == 120s);
        CHECK(profile->dns.polling_interval == 2s);
        CHECK(profile->dns.ttl == 60s);
        CHECK(profile->dns.follow_cname);
        CHECK(profile->dns.provider.settings.empty());
        REQUIRE(profile->certificates.size() == 1);
        CHECK(profile->certificates[0].key == wildcert::KeyType::ec_p256);
        CHECK_FALSE(profile->certificates[0].reuse_key);
    }

    TEST_CASE("known CA names and URLs for acme.directory") {
        const TempDir dir;
        auto with_directory = [&](const std::string& value) {
            return load_text(dir, "[acme]\ndirectory = \"" + value +
                                      "\"\n[dns]\nprovider = \"x\"\n[[certificate]]\nname = "
                                      "\"a\"\ndomains = [\"a.example\"]\n");
        };
        CHECK(with_directory("letsencrypt")->acme.directory_url ==
              "https://acme-v02.api.letsencrypt.org/directory");
        CHECK(with_directory("http://127.0.0.1:14000/dir")->acme.directory_url ==
              "http://127.0.0.1:14000/dir");
        const auto bad = with_directory("http://ca.example/dir");
        REQUIRE_FALSE(bad.ok());
        CHECK(without_column(bad.error().message).find("profile.toml:2: acme.directory: ") !=
              std::string::npos);
        CHECK_FALSE(with_directory("lets-encrypt").ok());
    }

    TEST_CASE("${VAR} is replaced from the environment") {
        const TempDir dir;
        REQUIRE(::setenv("WILDCERT_TEST_SECRET", "c2VjcmV0", 1) == 0);
        REQUIRE(::setenv("WILDCERT_TEST_ZONE", "Example.com", 1) == 0);
        const auto profile =
            load_text(dir, k_acme_and_dns + "[dns.rfc2136]\n"                             // 5
                                            "tsig_secret = \"${WILDCERT_TEST_SECRET}\"\n" // 6
                                            "note = \"a $${LITERAL} and $5\"\n"           // 7
                                            "[[certificate]]\n"                           // 8
                                            "name = \"zone\"\n"                           // 9
                                            "domains = [\"*.${WILDCERT_TEST_ZONE}\"]\n"); // 10
        REQUIRE_MESSAGE(profile.ok(), (profile.ok() ? "" : profile.error().message));
        CHECK(text_setting(*profile, "tsig_secret") == "c2VjcmV0");
        CHECK(text_setting(*profile, "note") == "a ${LITERAL} and $5");
        CHECK(profile->certificates[0].domains == std::vector<std::string>{"*.example.com"});
        ::unsetenv("WILDCERT_TEST_SECRET");
        ::unsetenv("WILDCERT_TEST_ZONE");
    }

    TEST_CASE("an unset variable is an error naming it, the line and the key") {
        ::unsetenv("WILDCERT_TEST_UNSET");
        const std::string message = load_error(
            k_acme_and_dns + "[dns.rfc2136]\n"                            // 5
                             "tsig_secret = \"${WILDCERT_TEST_UNSET}\"\n" // 6
                             "[[certificate]]\nname = \"a\"\ndomains = [\"a.example\"]\n");
        CHECK(without_column(message).find("profile.toml:6: dns.rfc2136.tsig_secret: ") !=
              std::string::npos);
        CHECK(message.find("WILDCERT_TEST_UNSET") != std::string::npos);
        CHECK(message.find("not set") != std::string::npos);
    }

    TEST_CASE("interpolated values are never echoed in errors") {
        const TempDir dir;
        const wildcert::config::EnvLookup env = [](const std::string& name) {
            return name == "BAD" ? std::optional<std::string>("hunter2..example") : std::nullopt;
        };
        const auto profile = wildcert::config::load_profile_with_env(
            dir.write("profile.toml",
                      k_acme_and_dns + "[[certificate]]\nname = \"a\"\ndomains = [\"${BAD}\"]\n"),
            env);
        REQUIRE_FALSE(profile.ok());
        CHECK(profile.error().message.find("hunter2") == std::string::npos);
        CHECK(profile.error().message.find("${BAD}") != std::string::npos);
        CHECK(without_column(profile.error().message)
                  .find("profile.toml:7: certificate[1].domains[1]: ") != std::string::npos);
    }

    TEST_CASE("<key>_file is read relative to the profile and stored as <key>") {
        const TempDir dir;
        dir.write("secrets/tsig", "c2VjcmV0LWtleQ==\n");
        const auto profile = load_text(
            dir, k_acme_and_dns + "[dns.rfc2136]\n"                       // 5
                                  "tsig_secret_file = \"secrets/tsig\"\n" // 6
                                  "[[certificate]]\nname = \"a\"\ndomains = [\"a.example\"]\n");
        REQUIRE_MESSAGE(profile.ok(), (profile.ok() ? "" : profile.error().message));
        CHECK(text_setting(*profile, "tsig_secret") == "c2VjcmV0LWtleQ==");
        CHECK(profile->dns.provider.settings.count("tsig_secret_file") == 0);
        CHECK(without_column(profile->dns.provider.settings.at("tsig_secret").origin) ==
              (dir.path() / "profile.toml").string() + ":6");
    }

    TEST_CASE("a secret file others may read gives a warning naming it, never its content") {
        const TempDir dir;
        const auto secret = dir.write("secrets/tsig", "c2VjcmV0LWtleQ==\n");
        const std::string text = k_acme_and_dns +
                                 "[dns.rfc2136]\n"                       // 5
                                 "tsig_secret_file = \"secrets/tsig\"\n" // 6
                                 "[[certificate]]\nname = \"a\"\ndomains = [\"a.example\"]\n";
        fs::permissions(secret, fs::perms::owner_read | fs::perms::owner_write);
        auto profile = load_text(dir, text);
        REQUIRE(profile.ok());
        CHECK(profile->warnings.empty());

        fs::permissions(secret, fs::perms::owner_read | fs::perms::owner_write |
                                    fs::perms::group_read | fs::perms::others_read);
        profile = load_text(dir, text);
        REQUIRE(profile.ok());
        REQUIRE(profile->warnings.size() == 1);
        const auto& warning = profile->warnings.front();
        CHECK(without_column(warning).find("profile.toml:6: dns.rfc2136.tsig_secret_file: ") !=
              std::string::npos);
        CHECK(warning.find("readable by everyone (mode 0644)") != std::string::npos);
        CHECK(warning.find("c2VjcmV0") == std::string::npos);

        fs::permissions(secret, fs::perms::owner_read | fs::perms::group_read);
        profile = load_text(dir, text);
        REQUIRE(profile.ok());
        REQUIRE(profile->warnings.size() == 1);
        CHECK(profile->warnings.front().find("readable by its group (mode 0440)") !=
              std::string::npos);
    }

    TEST_CASE("<key>_file errors name the file, never its content") {
        const TempDir dir;
        dir.write("tsig", "TOP-SECRET-VALUE\n");
        const std::string tail = "[[certificate]]\nname = \"a\"\ndomains = [\"a.example\"]\n";

        const auto both = load_text(dir, k_acme_and_dns +
                                             "[dns.rfc2136]\n"
                                             "tsig_secret = \"inline\"\n"    // 6
                                             "tsig_secret_file = \"tsig\"\n" // 7
                                             + tail);
        REQUIRE_FALSE(both.ok());
        CHECK(both.error().kind == wildcert::ErrorKind::profile);
        CHECK(without_column(both.error().message)
                  .find("profile.toml:7: dns.rfc2136.tsig_secret_file: both") != std::string::npos);

        const auto missing = load_text(dir, k_acme_and_dns +
                                                "[dns.rfc2136]\n"
                                                "tsig_secret_file = \"nope/tsig\"\n" +
                                                tail);
        REQUIRE_FALSE(missing.ok());
        CHECK(without_column(missing.error().message)
                  .find("profile.toml:6: dns.rfc2136.tsig_secret_file: ") != std::string::npos);
        CHECK(missing.error().message.find("nope/tsig") != std::string::npos);

        // Reading a directory fails after open; the message still holds no content.
        const auto directory = load_text(dir, k_acme_and_dns +
                                                  "[dns.rfc2136]\n"
                                                  "tsig_secret_file = \".\"\n" +
                                                  tail);
        REQUIRE_FALSE(directory.ok());
        CHECK(directory.error().message.find("TOP-SECRET") == std::string::npos);
    }

    TEST_CASE("a relative ca_bundle that does not exist is an error") {
        check_error_at(
            "[acme]\ndirectory = \"letsencrypt\"\nca_bundle = \"missing.pem\"\n"
            "[dns]\nprovider = \"x\"\n[[certificate]]\nname = \"a\"\ndomains = [\"a.b\"]\n",
            3, "acme.ca_bundle", "does not exist");
    }

    TEST_CASE("missing required keys are reported at their table's header") {
        check_error_at(k_acme_and_dns + "[[certificate]]\nname = \"a\"\n", 5, "certificate[1]",
                       "missing required key 'domains'");
        check_error_at(k_acme_and_dns + "[[certificate]]\nname = \"a\"\ndomains = [\"a.example\"]\n"
                                        "[[certificate]]\ndomains = [\"b.example\"]\n",
                       8, "certificate[2]", "missing required key 'name'");
        check_error_at("\n[acme]\n[dns]\nprovider = \"x\"\n", 2, "acme",
                       "missing required key 'directory'");
        check_error_at("[acme]\ndirectory = \"letsencrypt\"\n[[certificate]]\nname = \"a\"\n", 1,
                       "dns", "missing required table");
        check_error_at(k_acme_and_dns, 1, "certificate", "[[certificate]]");
    }

    TEST_CASE("wrong types are errors") {
        check_error_at(k_minimal + "[dns.x]\n", 8, "dns.x", "dns.provider is \"rfc2136\"");
        check_error_at("[acme]\ndirectory = \"letsencrypt\"\n[dns]\nprovider = \"x\"\nttl = true\n"
                       "[[certificate]]\nname = \"a\"\ndomains = [\"a.example\"]\n",
                       5, "dns.ttl",
                       "expected a duration (a string such as \"90s\", or seconds), got a boolean");
        check_error_at("[acme]\ndirectory = \"letsencrypt\"\naccept_terms = \"yes\"\n[dns]\n"
                       "provider = \"x\"\n[[certificate]]\nname = \"a\"\ndomains = [\"a.b\"]\n",
                       3, "acme.accept_terms", "expected a boolean");
        check_error_at(k_acme_and_dns + "[[certificate]]\nname = \"a\"\ndomains = \"a.example\"\n",
                       7, "certificate[1].domains", "expected an array");
        check_error_at(k_acme_and_dns + "[[certificate]]\nname = \"a\"\ndomains = [\"a.b\", 7]\n",
                       7, "certificate[1].domains[2]", "expected a string, got an integer");
        check_error_at(k_acme_and_dns + "[certificate]\nname = \"a\"\n", 5, "certificate",
                       "expected an array of tables");
        check_error_at(k_minimal + "[dns.rfc2136]\nport = 5.3\n", 9, "dns.rfc2136.port",
                       "expected a string, integer or boolean, got a float");
        check_error_at(k_minimal + "[dns.rfc2136]\nservers = [\"a\"]\n", 9, "dns.rfc2136.servers",
                       "got an array");
    }

    TEST_CASE("dns.follow_cname = false turns the CNAME lookup off") {
        const TempDir dir;
        const std::string tail = "[[certificate]]\nname = \"a\"\ndomains = [\"a.example\"]\n";
        const auto profile = load_text(dir, k_acme_and_dns + "follow_cname = false\n" + tail);
        REQUIRE_MESSAGE(profile.ok(), (profile.ok() ? "" : profile.error().message));
        CHECK_FALSE(profile->dns.follow_cname);
        check_error_at(k_acme_and_dns + "follow_cname = \"no\"\n" + tail, 5, "dns.follow_cname",
                       "expected a boolean");
    }

    TEST_CASE("out-of-range values are errors") {
        const std::string tail = "[[certificate]]\nname = \"a\"\ndomains = [\"a.example\"]\n";
        check_error_at(k_acme_and_dns + "ttl = 0\n" + tail, 5, "dns.ttl", "out of range");
        check_error_at(k_acme_and_dns + "ttl = 86401\n" + tail, 5, "dns.ttl", "out of range");
        check_error_at(k_acme_and_dns + "polling_interval = \"0s\"\n" + tail, 5,
                       "dns.polling_interval", "longer than 0");
        check_error_at(k_acme_and_dns + "propagation_check = \"some\"\n" + tail, 5,
                       "dns.propagation_check");
        check_error_at(k_acme_and_dns + "resolvers = [\"127.0.0.1:99999\"]\n" + tail, 5,
                       "dns.resolvers[1]", "port");
        check_error_at(k_acme_and_dns + "propagation_wait = -1\n" + tail, 5,
                       "dns.propagation_wait");
        check_error_at("[acme]\ndirectory = \"letsencrypt\"\ncontact = [\"ops@example.com\"]\n"
                       "[dns]\nprovider = \"x\"\n" +
                           tail,
                       3, "acme.contact[1]", "mailto:");
    }

    TEST_CASE("unknown keys are errors wherever they are") {
        check_error_at(k_minimal + "colour = \"blue\"\n", 8, "certificate[1].colour",
                       "unknown key");
        check_error_at("verbose = true\n" + k_minimal, 1, "verbose", "unknown key");
        check_error_at("[acme]\ndirectory = \"letsencrypt\"\ndirectroy = \"x\"\n[dns]\n"
                       "provider = \"x\"\n[[certificate]]\nname = \"a\"\ndomains = [\"a.b\"]\n",
                       3, "acme.directroy", "unknown key");
        check_error_at(k_acme_and_dns +
                           "ttls = 5\n[[certificate]]\nname = \"a\"\ndomains = [\"a.b\"]\n",
                       5, "dns.ttls", "unknown key");
        check_error_at("[acm]\n" + k_minimal, 1, "acm", "unknown key");
    }

    TEST_CASE("bad domains are reported with the reason") {
        auto domains = [](const std::string& list) {
            return k_acme_and_dns + "[[certificate]]\nname = \"a\"\ndomains = [" + list + "]\n";
        };
        check_error_at(domains("\"*.*.x.example\""), 7, "certificate[1].domains[1]", "wildcard");
        check_error_at(domains("\"foo.*.example\""), 7, "certificate[1].domains[1]", "wildcard");
        check_error_at(domains("\"f*o.example\""), 7, "certificate[1].domains[1]", "wildcard");
        check_error_at(domains("\"*\""), 7, "certificate[1].domains[1]");
        check_error_at(domains(""), 7, "certificate[1].domains", "at least one");
        check_error_at(domains("\"a.example\", \"A.Example\""), 7, "certificate[1].domains[2]",
                       "listed twice");
        check_error_at(domains("\"example.com.\""), 7, "certificate[1].domains[1]", "dot");
        check_error_at(domains("\"" + std::string(64, 'a') + ".example\""), 7,
                       "certificate[1].domains[1]", "longer than 63");
        check_error_at(domains("\"localhost\""), 7, "certificate[1].domains[1]", "two labels");
        check_error_at(domains("\"a_b.example\""), 7, "certificate[1].domains[1]");
        // Multi-line arrays: the element's own line.
        check_error_at(k_acme_and_dns + "[[certificate]]\nname = \"a\"\ndomains = [\n"
                                        "  \"a.example\",\n  \"-bad.example\",\n]\n",
                       9, "certificate[1].domains[2]", "'-'");
    }

    TEST_CASE("challenge aliases and discovery") {
        const TempDir dir;
        const auto certificate =
            k_acme_and_dns + "[[certificate]]\nname = \"a\"\n"
                             "domains = [\"*.www.example\", \"www.example\", \"api.example\"]\n";
        const auto profile = load_text(
            dir, certificate +
                     "challenge_alias = \"Acme.Validation.Example\"\n"
                     "challenge_aliases = { \"*.www.example\" = \"w.validation.example\", "
                     "\"api.example\" = \"a.validation.example\" }\n");
        REQUIRE_MESSAGE(profile.ok(), (profile.ok() ? "" : profile.error().message));
        const auto& loaded = profile->certificates[0];
        CHECK(loaded.challenge_alias == "acme.validation.example.");
        // A wildcard and its apex share _acme-challenge.<base>: keyed by the base name.
        CHECK(loaded.challenge_aliases ==
              std::map<std::string, std::string>{{"www.example", "w.validation.example."},
                                                 {"api.example", "a.validation.example."}});
        CHECK(profile->dns.discovery == wildcert::DiscoveryMode::resolvers);

        check_error_at(certificate + "challenge_alias = \"*.v.example\"\n", 8,
                       "certificate[1].challenge_alias", "wildcard cannot hold");
        check_error_at(certificate + "challenge_aliases = { \"other.example\" = \"v.example\" }\n",
                       8, "certificate[1].challenge_aliases.other.example",
                       "not one of this certificate's domains");
        check_error_at(certificate + "challenge_aliases = { \"*.www.example\" = \"a.v.example\", "
                                     "\"www.example\" = \"b.v.example\" }\n",
                       8, "certificate[1].challenge_aliases.www.example",
                       "share one validation name");
        check_error_at(certificate + "challenge_aliases = \"v.example\"\n", 8,
                       "certificate[1].challenge_aliases", "table");
        check_error_at(k_acme_and_dns + "discovery = \"root\"\n[[certificate]]\nname = \"a\"\n"
                                        "domains = [\"a.example\"]\n",
                       5, "dns.discovery", "not one of: resolvers, delegation");
    }

    TEST_CASE("bad key types and durations are errors") {
        const std::string tail = "[[certificate]]\nname = \"a\"\ndomains = [\"a.example\"]\n";
        check_error_at(k_acme_and_dns + tail + "key = \"ec-p521\"\n", 8, "certificate[1].key",
                       "ec-p256");
        check_error_at("[acme]\ndirectory = \"letsencrypt\"\naccount_key = \"rsa-1024\"\n[dns]\n"
                       "provider = \"x\"\n" +
                           tail,
                       3, "acme.account_key", "not a key type");
        check_error_at(k_acme_and_dns + "propagation_timeout = \"2 minutes\"\n" + tail, 5,
                       "dns.propagation_timeout", "not a duration");
        check_error_at(k_acme_and_dns + "propagation_wait = \"30s1m\"\n" + tail, 5,
                       "dns.propagation_wait", "not a duration");
        check_error_at(k_acme_and_dns + "propagation_wait = 1.5\n" + tail, 5,
                       "dns.propagation_wait", "got a float");
    }

    TEST_CASE("certificate names are checked and unique") {
        const std::string cert_a = "[[certificate]]\nname = \"a\"\ndomains = [\"a.example\"]\n";
        check_error_at(k_acme_and_dns + cert_a +
                           "[[certificate]]\nname = \"a\"\ndomains = [\"b.c\"]\n",
                       9, "certificate[2].name", "already the name of certificate[1]");
        check_error_at(k_acme_and_dns + "[[certificate]]\nname = \"..\"\ndomains = [\"b.c\"]\n", 6,
                       "certificate[1].name");
        check_error_at(k_acme_and_dns + "[[certificate]]\nname = \"a/b\"\ndomains = [\"b.c\"]\n", 6,
                       "certificate[1].name");
    }

    TEST_CASE("TOML syntax errors name the file and line") {
        const std::string message = load_error("[acme]\ndirectory = \"letsencrypt\n[dns]\n");
        CHECK(without_column(message).find("profile.toml:2: ") != std::string::npos);
        CHECK(message.find("syntax") != std::string::npos);

        const std::string duplicate = load_error("[acme]\na = 1\na = 2\n");
        CHECK(without_column(duplicate).find("profile.toml:3: ") != std::string::npos);
    }

    TEST_CASE("syntax errors do not quote the offending line") {
        const std::string message = load_error("[dns.rfc2136]\ntsig_secret = \"SECRETVALUE\n");
        CHECK(message.find("SECRETVALUE") == std::string::npos);
    }

    TEST_CASE("a missing profile is a profile error naming the file") {
        const TempDir dir;
        const auto profile = wildcert::load_profile(dir.path() / "absent.toml");
        REQUIRE_FALSE(profile.ok());
        CHECK(profile.error().kind == wildcert::ErrorKind::profile);
        CHECK(profile.error().message.find("absent.toml") != std::string::npos);
    }

    TEST_CASE("a table for another provider is an error") {
        check_error_at(k_acme_and_dns +
                           "[dns.cloudflare]\napi_token = \"x\"\n"
                           "[[certificate]]\nname = \"a\"\ndomains = [\"a.example\"]\n",
                       5, "dns.cloudflare", "dns.provider is \"rfc2136\"");
    }

    TEST_CASE("durations parse and format") {
        using wildcert::config::format_duration;
        using wildcert::config::parse_duration;
        CHECK(parse_duration("500ms") == 500ms);
        CHECK(parse_duration("2s") == 2s);
        CHECK(parse_duration("5m") == 5min);
        CHECK(parse_duration("1h") == 1h);
        CHECK(parse_duration("1d") == 24h);
        CHECK(parse_duration("1m30s") == 90s);
        CHECK(parse_duration("1d2h3m4s5ms") == 93'784'005ms);
        CHECK(parse_duration("0s") == 0ms);
        CHECK_FALSE(parse_duration(""));
        CHECK_FALSE(parse_duration("5"));
        CHECK_FALSE(parse_duration("s"));
        CHECK_FALSE(parse_duration("30s1m"));
        CHECK_FALSE(parse_duration("1s1s"));
        CHECK_FALSE(parse_duration("1.5s"));
        CHECK_FALSE(parse_duration(" 1s"));
        CHECK_FALSE(parse_duration("-1s"));
        CHECK_FALSE(parse_duration("1w"));
        CHECK_FALSE(parse_duration("1234567890s"));
        CHECK(format_duration(90s) == "1m30s");
        CHECK(format_duration(0ms) == "0s");
        CHECK(format_duration(500ms) == "500ms");
        CHECK(format_duration(93'784'005ms) == "1d2h3m4s5ms");
    }

    TEST_CASE("domain names are lower-cased and validated") {
        using wildcert::config::normalize_domain;
        CHECK(normalize_domain("WWW.Example.COM").value() == "www.example.com");
        CHECK(normalize_domain("*.example.com").value() == "*.example.com");
        CHECK(normalize_domain("xn--bcher-kva.example").value() == "xn--bcher-kva.example");
        CHECK(normalize_domain(std::string(63, 'a') + ".example").ok());
        CHECK_FALSE(normalize_domain(std::string(64, 'a') + ".example").ok());
        // 4 labels of 63 plus 3 dots is 255 characters: over the limit.
        const std::string label(63, 'a');
        CHECK_FALSE(normalize_domain(label + "." + label + "." + label + "." + label).ok());
        CHECK(
            normalize_domain(label + "." + label + "." + label + "." + std::string(61, 'a')).ok());
        CHECK_FALSE(normalize_domain("*.*.x.example").ok());
        CHECK_FALSE(normalize_domain("foo.*.example").ok());
        CHECK_FALSE(normalize_domain("*.example").ok());
        CHECK_FALSE(normalize_domain("*").ok());
        CHECK_FALSE(normalize_domain("a..example").ok());
        CHECK_FALSE(normalize_domain(".example.com").ok());
        CHECK_FALSE(normalize_domain("a-.example").ok());
        CHECK_FALSE(normalize_domain("bücher.example").ok());
        CHECK_FALSE(normalize_domain("").ok());
    }

    // Mistakes the CA would only report after the order was placed (a wasted order, counted
    // against its rate limits) are profile errors before the first request.
    TEST_CASE("an IP address is not a domain, and the challenge name must fit 253 characters") {
        using wildcert::config::normalize_certificate_domain;
        using wildcert::config::normalize_domain;
        for (const char* address : {"127.0.0.1", "10.1", "*.10.0.0.1", "::1", "[2001:db8::1]",
                                    "2001:db8::1", "host.123"}) {
            CAPTURE(address);
            const auto checked = normalize_domain(address);
            REQUIRE_FALSE(checked.ok());
            CHECK(checked.error().kind == wildcert::ErrorKind::profile);
        }
        CHECK(normalize_domain("127.0.0.1").error().message ==
              "is an IP address, not a DNS name (DNS-01 validates DNS names only)");
        CHECK(normalize_domain("::1").error().message.starts_with("contains ':': an IP address"));
        CHECK(normalize_domain("1.example").ok());
        CHECK(normalize_domain("example.xn--p1ai").ok());

        // _acme-challenge. is 16 characters: a name of 237 fits, 238 does not.
        const std::string label(63, 'a');
        const std::string name_237 = label + "." + label + "." + label + "." + std::string(45, 'b');
        REQUIRE(name_237.size() == 237);
        CHECK(normalize_certificate_domain(name_237).ok());
        CHECK(normalize_certificate_domain("*." + name_237).ok());
        const auto too_long = normalize_certificate_domain(name_237 + "b");
        REQUIRE_FALSE(too_long.ok());
        CHECK(too_long.error().message ==
              "is 238 characters: its challenge name _acme-challenge.<name> would be 254, over "
              "the 253 a DNS name may have (237 at most for a domain)");
        // 253 characters is a valid DNS name, yet no certificate can be validated for it.
        const std::string name_253 = label + "." + label + "." + label + "." + std::string(61, 'c');
        REQUIRE(name_253.size() == 253);
        CHECK(normalize_domain(name_253).ok());
        CHECK_FALSE(normalize_certificate_domain(name_253).ok());
        CHECK(normalize_certificate_domain("*." + name_237 + "b")
                  .error()
                  .message.starts_with("is 238 characters after \"*.\": "));

        // In a profile: exit 2 at the key, before anything is sent.
        const auto domains = [](const std::string& name) {
            return k_acme_and_dns + "[[certificate]]\nname = \"a\"\ndomains = [\"" + name + "\"]\n";
        };
        check_error_at(domains("127.0.0.1"), 7, "certificate[1].domains[1]", "IP address");
        check_error_at(domains(name_253), 7, "certificate[1].domains[1]", "_acme-challenge");
    }

    TEST_CASE("interpolation syntax") {
        using wildcert::config::interpolate;
        const wildcert::config::EnvLookup env = [](const std::string& name) {
            static const std::map<std::string, std::string> k_env{{"A", "1"}, {"EMPTY", ""}};
            const auto it = k_env.find(name);
            return it == k_env.end() ? std::nullopt : std::optional<std::string>(it->second);
        };
        CHECK(interpolate("x${A}y${A}", env)->text == "x1y1");
        CHECK(interpolate("x${A}", env)->substituted);
        CHECK(interpolate("[${EMPTY}]", env)->text == "[]");
        CHECK(interpolate("$${A}", env)->text == "${A}");
        CHECK_FALSE(interpolate("$${A}", env)->substituted);
        CHECK(interpolate("$A $ $$", env)->text == "$A $ $$");
        CHECK_FALSE(interpolate("${B}", env).ok());
        CHECK_FALSE(interpolate("${A", env).ok());
        CHECK_FALSE(interpolate("${}", env).ok());
        CHECK_FALSE(interpolate("${1A}", env).ok());
    }

    TEST_CASE("server specs") {
        using wildcert::config::check_server_spec;
        CHECK_FALSE(check_server_spec("127.0.0.1:53"));
        CHECK_FALSE(check_server_spec("127.0.0.1"));
        CHECK_FALSE(check_server_spec("ns1.example.com:5353"));
        CHECK_FALSE(check_server_spec("[::1]:53"));
        CHECK_FALSE(check_server_spec("::1"));
        CHECK(check_server_spec(""));
        CHECK(check_server_spec("127.0.0.1:0"));
        CHECK(check_server_spec("127.0.0.1:"));
        CHECK(check_server_spec("[::1]53"));
        CHECK(check_server_spec("a b:53"));
    }

    TEST_CASE("describe_profile redacts secrets") {
        const TempDir dir;
        const auto profile = load_text(
            dir, k_acme_and_dns + "ttl = 30\n"                           // 5
                                  "[dns.rfc2136]\n"                      // 6
                                  "tsig_key = \"acme-key\"\n"            // 7
                                  "tsig_secret = \"c3VwZXJzZWNyZXQ=\"\n" // 8
                                  "[[certificate]]\nname = \"a\"\ndomains = [\"a.example\"]\n");
        REQUIRE_MESSAGE(profile.ok(), (profile.ok() ? "" : profile.error().message));
        const std::string text = wildcert::config::describe_profile(
            *profile, [](std::string_view provider, std::string_view key) {
                return provider == "rfc2136" && key == "tsig_secret";
            });
        INFO(text);
        CHECK(text.find("c3VwZXJzZWNyZXQ=") == std::string::npos);
        CHECK(text.find("tsig_secret = \"<redacted>\"") != std::string::npos);
        CHECK(text.find("tsig_key = \"acme-key\"") != std::string::npos);
        CHECK(text.find("profile.toml:7") != std::string::npos);
        CHECK(text.find("ttl = 30") != std::string::npos);
        CHECK(text.find("polling_interval = \"2s\"") != std::string::npos);
        CHECK(text.find("domains = [\"a.example\"]") != std::string::npos);
    }

#ifdef WILDCERT_SOURCE_ROOT
    TEST_CASE("the example RFC 2136 profile loads") {
        // The environment is passed in so that no other test sees a TSIG_SECRET.
        const wildcert::config::EnvLookup env = [](const std::string& name) {
            return name == "TSIG_SECRET" ? std::optional<std::string>("c2VjcmV0") : std::nullopt;
        };
        const auto profile = wildcert::config::load_profile_with_env(
            fs::path(WILDCERT_SOURCE_ROOT) / "examples" / "profiles" / "rfc2136.toml", env);
        REQUIRE_MESSAGE(profile.ok(), (profile.ok() ? "" : profile.error().message));
        CHECK(profile->dns.provider.name == "rfc2136");
        CHECK(text_setting(*profile, "tsig_secret") == "c2VjcmV0");
        REQUIRE(profile->certificates.size() == 2);
        CHECK(profile->certificates[0].domains ==
              std::vector<std::string>{"*.example.com", "example.com"});
        CHECK(profile->dns.propagation_timeout == 120s);
    }
#endif

} // TEST_SUITE
