// Unit tests for TLS to the CA: the loopback rule for plain http:// (profile loader and HTTP
// client), the ca_bundle check, and the messages for certificates that do not verify.
#include "common/loopback_host.hpp"
#include "config/load.hpp"
#include "http/http_client.hpp"
#include "http/tls_failure.hpp"
#include "http/url.hpp"

#include <doctest/doctest.h>

#include "error_text.hpp"

#include "temp_dir.hpp"

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

using namespace wildcert;

using wildcert::test::without_column;

namespace {

namespace fs = std::filesystem;

// OpenSSL's X509_V_* values (x509_vfy.h), spelled as numbers so this file needs no OpenSSL.
constexpr long k_ok = 0;
constexpr long k_not_yet_valid = 9;
constexpr long k_expired = 10;
constexpr long k_depth_zero_self_signed = 18;
constexpr long k_self_signed_in_chain = 19;
constexpr long k_unable_to_get_issuer_locally = 20;
constexpr long k_hostname_mismatch = 62;
constexpr long k_invalid_purpose = 26;

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

using wildcert::test::TempDir;

// A minimal profile whose [acme] table has `acme_lines` after the directory (line 2).
Result<Profile> load_acme(const TempDir& dir, const std::string& directory,
                          const std::string& acme_lines = "") {
    return load_profile(dir.write("profile.toml", "[acme]\n" // 1
                                                  "directory = \"" +
                                                      directory + "\"\n" + // 2
                                                      acme_lines +         // 3
                                                      "[dns]\nprovider = \"rfc2136\"\n"
                                                      "[[certificate]]\nname = \"a\"\n"
                                                      "domains = [\"a.example\"]\n"));
}

http::TlsObservation leaf(std::vector<std::string> names) {
    http::TlsObservation seen;
    seen.seen_leaf = true;
    seen.subject = "CN=localhost";
    seen.names = std::move(names);
    return seen;
}

} // namespace

TEST_SUITE("tls") {
    TEST_CASE("loopback hosts: 127.0.0.0/8, ::1 in any spelling, localhost") {
        for (const char* host :
             {"127.0.0.1", "127.0.0.2", "127.255.255.254", "127.1.2.3", "::1", "0:0:0:0:0:0:0:1",
              "0000::0001", "localhost", "LocalHost", "localhost."}) {
            INFO(host);
            CHECK(common::is_loopback_host(host));
        }
    }

    TEST_CASE("not loopback: look-alike names, other addresses, mapped and loose forms") {
        for (const char* host : {"127.example.com",
                                 "127.0.0.1.example.com",
                                 "localhost.example.com",
                                 "a.localhost",
                                 "localhostx",
                                 "0.0.0.0",
                                 "::",
                                 "::ffff:127.0.0.1",
                                 "::ffff:7f00:1",
                                 "::1%lo",
                                 "[::1]",
                                 "127.1",
                                 "0177.0.0.1",
                                 "0x7f.0.0.1",
                                 "127.000.000.001",
                                 "2130706433",
                                 "128.0.0.1",
                                 "10.0.0.1",
                                 "126.255.255.255",
                                 "acme.example.com",
                                 "",
                                 " 127.0.0.1"}) {
            INFO(host);
            CHECK_FALSE(common::is_loopback_host(host));
        }
    }

    TEST_CASE("the host of a URL, for the profile's loopback check") {
        CHECK(common::url_host("http://127.0.0.1:14000/dir") == "127.0.0.1");
        CHECK(common::url_host("http://[::1]:14000/dir") == "::1");
        CHECK(common::url_host("http://localhost/dir") == "localhost");
        CHECK(common::url_host("https://127.example.com/dir") == "127.example.com");
        CHECK(common::url_host("http://127.0.0.1?x") == "127.0.0.1");
        // The host after '@' is where the request goes: credentials make the URL untrusted.
        CHECK(common::url_host("http://localhost:80@acme.example.com/") == "");
        CHECK(common::url_host("http://127.0.0.1@acme.example.com/") == "");
        CHECK(common::url_host("ftp://127.0.0.1/") == "");
        CHECK(common::url_host("http://acme.example.com#@127.0.0.1/") == "acme.example.com");
    }

    TEST_CASE("the HTTP client's URLs use the same rule") {
        for (const char* url : {"http://127.0.0.1:80/", "http://[::1]:1/", "http://localhost/"}) {
            INFO(url);
            const auto parsed = http::parse_url(url);
            REQUIRE(parsed.ok());
            CHECK(parsed->is_loopback());
        }
        for (const char* url : {"http://127.example.com/", "http://0.0.0.0/",
                                "http://[::ffff:127.0.0.1]/", "http://127.1/"}) {
            INFO(url);
            const auto parsed = http::parse_url(url);
            REQUIRE(parsed.ok());
            CHECK_FALSE(parsed->is_loopback());
        }
    }

    TEST_CASE("the HTTP client refuses plain http:// to other hosts, before connecting") {
        // The URLs a CA hands out (orders, authorizations, certificates) take this path too.
        http::Client client(http::Options{});
        for (const char* url : {"http://acme.example.com/order/1", "http://127.example.com/dir",
                                "http://0.0.0.0:14000/dir", "http://[::ffff:127.0.0.1]:1/"}) {
            INFO(url);
            auto failure = http::Failure::none;
            const auto response = client.send(http::make_request("GET", url), &failure);
            REQUIRE_FALSE(response.ok());
            CHECK(response.error().kind == ErrorKind::network);
            CHECK(contains(response.error().message,
                           std::string(url) + ": refusing plain http:// to a host that is not "
                                              "loopback"));
            CHECK(failure == http::Failure::other); // a retry would be refused the same way
        }
    }

    TEST_CASE("profile: http:// directory only to loopback, with file:line:key") {
        const TempDir dir;
        for (const char* url : {"http://127.0.0.1:14000/dir", "http://127.0.0.2/dir",
                                "http://[::1]:14000/dir", "http://localhost:14000/dir"}) {
            INFO(url);
            const auto profile = load_acme(dir, url);
            REQUIRE_MESSAGE(profile.ok(), (profile.ok() ? "" : profile.error().message));
            CHECK(profile->acme.directory_url == url);
        }
        for (const char* url :
             {"http://acme.example.com/dir", "http://127.example.com/dir", "http://0.0.0.0/dir",
              "http://[::ffff:127.0.0.1]/dir", "http://localhost:80@acme.example.com/dir"}) {
            INFO(url);
            const auto profile = load_acme(dir, url);
            REQUIRE_FALSE(profile.ok());
            CHECK(profile.error().kind == ErrorKind::profile);
            CHECK(contains(without_column(profile.error().message),
                           "profile.toml:2: acme.directory: "));
            CHECK(contains(profile.error().message, "plain http:// is allowed only to loopback"));
        }
    }

    TEST_CASE("profile: acme.staging_directory follows the same rule") {
        const TempDir dir;
        const auto bad = load_acme(dir, "https://ca.test/dir",
                                   "staging_directory = \"http://127.example.com/dir\"\n");
        REQUIRE_FALSE(bad.ok());
        CHECK(contains(without_column(bad.error().message),
                       "profile.toml:3: acme.staging_directory: "));
        const auto good = load_acme(dir, "https://ca.test/dir",
                                    "staging_directory = \"http://127.0.0.1:14000/dir\"\n");
        REQUIRE_MESSAGE(good.ok(), (good.ok() ? "" : good.error().message));
        CHECK(good->acme.staging_directory_url == "http://127.0.0.1:14000/dir");
    }

    TEST_CASE("profile: a ca_bundle without PEM certificates is refused, naming the file") {
        const TempDir dir;
        const auto der = dir.write("ca.der", std::string("\x30\x82\x01\x0a\x02\x82", 6));
        const auto profile = load_acme(dir, "https://ca.test/dir", "ca_bundle = \"ca.der\"\n");
        REQUIRE_FALSE(profile.ok());
        CHECK(profile.error().kind == ErrorKind::profile);
        CHECK(contains(without_column(profile.error().message),
                       "profile.toml:3: acme.ca_bundle: 'ca.der'"));
        CHECK(contains(profile.error().message, "holds no PEM certificate"));

        dir.write("key.pem", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        const auto key = load_acme(dir, "https://ca.test/dir", "ca_bundle = \"key.pem\"\n");
        REQUIRE_FALSE(key.ok());
        CHECK(contains(key.error().message, "holds no PEM certificate"));
        CHECK_FALSE(contains(key.error().message, "AAAA")); // the content is never shown

        dir.write("ca.pem", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        CHECK(load_acme(dir, "https://ca.test/dir", "ca_bundle = \"ca.pem\"\n").ok());
    }

    TEST_CASE("a ca_bundle OpenSSL cannot load fails the request, naming the file") {
        const TempDir dir;
        http::Options options;
        options.ca_bundle = dir.write("broken.pem", "-----BEGIN CERTIFICATE-----\nnot base64\n"
                                                    "-----END CERTIFICATE-----\n");
        http::Client client(options);
        // Port 9 (discard) on loopback: the store is built before any connection is tried.
        const auto response = client.send(http::make_request("GET", "https://127.0.0.1:9/dir"));
        REQUIRE_FALSE(response.ok());
        CHECK(response.error().kind == ErrorKind::io);
        CHECK(contains(response.error().message, "acme.ca_bundle " + options.ca_bundle->string() +
                                                     ": cannot load PEM certificates from it"));
    }

    TEST_CASE("message: expired, with notAfter and what to do") {
        auto seen = leaf({"DNS:localhost"});
        seen.verify_result = k_expired;
        seen.depth = 0;
        seen.not_after = "2026-11-28T12:00:00Z";
        const auto text =
            http::describe_tls_failure("https://127.0.0.1:14000/dir", "127.0.0.1", seen);
        CHECK(text == "https://127.0.0.1:14000/dir: the server's TLS certificate did not verify: "
                      "certificate has expired: the server's certificate expired (notAfter "
                      "2026-11-28T12:00:00Z, subject CN=localhost); the server must present a "
                      "current certificate (if it does, check this machine's clock)");
    }

    TEST_CASE("message: an expired intermediate is named by its place in the chain") {
        http::TlsObservation seen;
        seen.verify_result = k_expired;
        seen.depth = 1;
        seen.subject = "CN=Intermediate";
        seen.not_after = "2020-01-01T00:00:00Z";
        const auto text = http::describe_tls_failure("https://ca.test/dir", "ca.test", seen);
        CHECK(contains(text, "certificate 1 of the chain the server sent expired (notAfter "
                             "2020-01-01T00:00:00Z, subject CN=Intermediate)"));
    }

    TEST_CASE("message: not yet valid, with notBefore") {
        auto seen = leaf({"DNS:localhost"});
        seen.verify_result = k_not_yet_valid;
        seen.depth = 0;
        seen.not_before = "2030-01-01T00:00:00Z";
        const auto text = http::describe_tls_failure("https://ca.test/dir", "ca.test", seen);
        CHECK(contains(text, "did not verify: certificate is not yet valid: the server's "
                             "certificate is not valid yet (notBefore 2030-01-01T00:00:00Z"));
        CHECK(contains(text, "check this machine's clock"));
    }

    TEST_CASE("message: unknown issuer and self-signed point at acme.ca_bundle") {
        for (const long result :
             {k_unable_to_get_issuer_locally, k_depth_zero_self_signed, k_self_signed_in_chain}) {
            INFO(result);
            auto seen = leaf({"DNS:localhost"});
            seen.verify_result = result;
            seen.depth = 0;
            seen.issuer = "CN=Other CA";
            const auto text = http::describe_tls_failure("https://ca.test/dir", "ca.test", seen);
            CHECK(contains(text, "https://ca.test/dir: the server's TLS certificate did not "
                                 "verify: "));
            CHECK(contains(text, "issuer CN=Other CA"));
            CHECK(contains(text, "is not trusted by the system store or acme.ca_bundle"));
            CHECK_FALSE(contains(text, "verify result"));
        }
        auto seen = leaf({});
        seen.verify_result = k_unable_to_get_issuer_locally;
        CHECK(contains(http::describe_tls_failure("https://ca.test/d", "ca.test", seen),
                       "did not verify: unable to get local issuer certificate"));
    }

    TEST_CASE("message: a chain that verified but names another host (httplib's own check)") {
        auto seen = leaf({"DNS:other.test", "IP:10.0.0.1"});
        seen.verify_result = k_ok;
        const auto text =
            http::describe_tls_failure("https://127.0.0.1:14000/dir", "127.0.0.1", seen);
        CHECK(contains(text, "https://127.0.0.1:14000/dir: the server's TLS certificate did not "
                             "verify: it does not name 127.0.0.1 (it names DNS:other.test, "
                             "IP:10.0.0.1)"));
        CHECK_FALSE(contains(text, "verify result"));

        seen.verify_result = k_hostname_mismatch; // OpenSSL's own check, should it be used
        CHECK(contains(http::describe_tls_failure("https://a.test/", "a.test", seen),
                       "it does not name a.test"));

        auto no_names = leaf({});
        CHECK(contains(http::describe_tls_failure("https://a.test/", "a.test", no_names),
                       "it does not name a.test (it names no DNS or IP names, only "
                       "CN=localhost)"));
        CHECK(contains(http::describe_tls_failure("https://a.test/", "a.test", {}),
                       "the server sent no certificate"));
    }

    TEST_CASE("message: other results keep OpenSSL's words and number") {
        auto seen = leaf({"DNS:ca.test"});
        seen.verify_result = k_invalid_purpose;
        const auto text = http::describe_tls_failure("https://ca.test/", "ca.test", seen);
        INFO(text);
        CHECK(contains(text, "did not verify: unsuitable certificate purpose"));
        CHECK(contains(text, "(OpenSSL verify result 26)"));
    }
}
