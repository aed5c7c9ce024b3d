// A hostile peer (hardening issue items 6, 7, 10, 11): the capped body reader, the total
// deadline of an HTTP exchange, the escaping of peer text, and the check of the names an
// order and its authorizations are for. The HTTP cases run the real http::Client against the
// raw hostile server of tests/hostile_ca on loopback; each server gives up after a bounded
// number of bytes, so a client without the limits fails the test instead of hanging it.
#include "acme/acme_client.hpp"
#include "acme/document_limits.hpp"
#include "acme/order.hpp"
#include "common/printable.hpp"
#include "core/identifier_match.hpp"
#include "http/capped_body.hpp"
#include "http/deadline_watchdog.hpp"
#include "http/http_client.hpp"
#include "tests/hostile_ca/hostile_http.hpp"

#include <doctest/doctest.h>

#include <future>

using namespace wildcert;
using namespace std::chrono_literals;

namespace {

bool contains(const std::string& text, std::string_view part) {
    return text.find(part) != std::string::npos;
}

struct Exchange {
    Result<http::Response> result;
    std::chrono::milliseconds took;
};

// One GET of the server's directory with `limit` and a total deadline of `deadline`.
Exchange fetch(hostile_ca::HostileHttpServer& server, http::BodyLimit limit,
               std::chrono::milliseconds deadline) {
    http::Options options;
    options.total_timeout = deadline;
    options.total_timeout_setting = "acme.request_timeout";
    http::Client client(options);
    auto request = http::make_request("GET", server.directory_url());
    request.limit = limit;
    const auto started = std::chrono::steady_clock::now();
    auto result = client.send(request);
    return {std::move(result), std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::steady_clock::now() - started)};
}

acme::Authorization authorization(std::string identifier, bool wildcard) {
    acme::Authorization a;
    a.url = "https://ca.test/authz/1";
    a.status = AcmeStatus::pending;
    a.identifier = std::move(identifier);
    a.wildcard = wildcard;
    return a;
}

} // namespace

TEST_SUITE("hostile peer") {
    TEST_CASE("printable escapes control characters and keeps other text") {
        CHECK(common::printable("plain text, ümlaut") == "plain text, ümlaut");
        CHECK(common::printable("a\x1b[2Jb\x07\r\n\x7f") == "a\\x1b[2Jb\\x07\\x0d\\x0a\\x7f");
        CHECK(common::printable(std::string("nul\0x", 5)) == "nul\\x00x");
        // C1 CSI (U+009B) and a right-to-left override (U+202E) as code points; a stray
        // continuation byte and a cut sequence as bytes.
        CHECK(common::printable("\xc2\x9b"
                                "31m") == "\\u009b31m");
        CHECK(common::printable("\xe2\x80\xae"
                                "txt") == "\\u202etxt");
        CHECK(common::printable("\x80z\xe2\x82") == "\\x80z\\xe2\\x82");
        // The profile loader's spellings pass unchanged: they hold no control character.
        CHECK(common::printable("a\\032b") == "a\\032b");
        CHECK(common::printable(std::string(10, 'x'), 4) == "xxxx... (6 more bytes)");
    }

    TEST_CASE("the capped body counts announced and received bytes") {
        http::CappedBody body({.max_bytes = 10, .what = "an ACME order"});
        CHECK(body.announce(10));
        CHECK(body.append("12345"));
        CHECK(body.append("67890"));
        CHECK_FALSE(body.exceeded());
        CHECK_FALSE(body.append("1"));
        CHECK(body.exceeded());
        CHECK(body.describe_excess() == "the response is larger than the 10 bytes limit for an "
                                        "ACME order");
        CHECK(body.take() == "1234567890");

        http::CappedBody announced({.max_bytes = 256 * 1024, .what = "an ACME directory"});
        CHECK_FALSE(announced.announce(4294967296ULL));
        CHECK_FALSE(announced.append("x"));
        CHECK(announced.describe_excess() == "the response is larger than the 256 KiB limit for "
                                             "an ACME directory (Content-Length 4294967296)");
        CHECK(http::format_size(4 * 1024 * 1024) == "4 MiB");
        CHECK(http::format_size(1) == "1 byte");
    }

    TEST_CASE("the watchdog runs its action past the deadline, and never after disarm") {
        http::DeadlineWatchdog watchdog;
        std::promise<void> ran;
        watchdog.arm(http::DeadlineWatchdog::Clock::now(), [&ran] { ran.set_value(); });
        REQUIRE(ran.get_future().wait_for(10s) == std::future_status::ready);
        CHECK(watchdog.disarm() == http::DeadlineWatchdog::Fired::deadline);

        bool late = false;
        watchdog.arm(http::DeadlineWatchdog::Clock::now() + 1h, [&late] { late = true; });
        CHECK(watchdog.disarm() == http::DeadlineWatchdog::Fired::no);
        CHECK_FALSE(late);

        // A condition asked every few milliseconds runs the action long before the deadline.
        std::promise<void> held;
        std::atomic<int> asked{0};
        watchdog.arm(
            http::DeadlineWatchdog::Clock::now() + 1h, [&held] { held.set_value(); },
            [&asked] { return ++asked == 3; }, 1ms);
        REQUIRE(held.get_future().wait_for(10s) == std::future_status::ready);
        CHECK(watchdog.disarm() == http::DeadlineWatchdog::Fired::condition);
        CHECK(asked == 3);
    }

    TEST_CASE("a body announced as 4 GiB fails at the limit, naming it") {
        hostile_ca::HostileHttpServer server(
            {.mode = hostile_ca::HostileMode::huge_length, .max_bytes = 64 * 1024 * 1024});
        REQUIRE(server.start().ok());
        const auto exchange = fetch(server, acme::limits::k_directory, 30s);
        REQUIRE_FALSE(exchange.result.ok());
        INFO(exchange.result.error().message);
        CHECK(exchange.result.error().kind == ErrorKind::network);
        CHECK(contains(exchange.result.error().message,
                       "larger than the 256 KiB limit for an ACME directory"));
        CHECK(contains(exchange.result.error().message, "Content-Length 4294967296"));
    }

    TEST_CASE("a chunked body without end fails at the limit") {
        hostile_ca::HostileHttpServer server(
            {.mode = hostile_ca::HostileMode::endless_chunked, .max_bytes = 64 * 1024 * 1024});
        REQUIRE(server.start().ok());
        const auto exchange = fetch(server, acme::limits::k_certificate_chain, 30s);
        REQUIRE_FALSE(exchange.result.ok());
        INFO(exchange.result.error().message);
        CHECK(contains(exchange.result.error().message,
                       "larger than the 4 MiB limit for a certificate chain"));
    }

    TEST_CASE("headers trickled a byte at a time end at the total deadline") {
        // 60 bytes at 50 ms: 3 s without the deadline, against a deadline of 500 ms.
        hostile_ca::HostileHttpServer server(
            {.mode = hostile_ca::HostileMode::trickle_headers, .pace = 50ms, .max_bytes = 60});
        REQUIRE(server.start().ok());
        const auto exchange = fetch(server, acme::limits::k_directory, 500ms);
        REQUIRE_FALSE(exchange.result.ok());
        INFO(exchange.result.error().message);
        CHECK(contains(exchange.result.error().message,
                       "no complete response within 500ms (the deadline for one HTTP exchange, "
                       "acme.request_timeout)"));
        CHECK(exchange.took >= 500ms);
        CHECK(exchange.took < 2500ms);
    }

    TEST_CASE("a body trickled a byte at a time ends at the total deadline") {
        hostile_ca::HostileHttpServer server(
            {.mode = hostile_ca::HostileMode::trickle_body, .pace = 50ms, .max_bytes = 60});
        REQUIRE(server.start().ok());
        const auto exchange = fetch(server, acme::limits::k_order, 500ms);
        REQUIRE_FALSE(exchange.result.ok());
        INFO(exchange.result.error().message);
        CHECK(contains(exchange.result.error().message, "no complete response within 500ms"));
        CHECK(exchange.took < 2500ms);
    }

    TEST_CASE("headers without end fail at the header limit, long before the deadline") {
        // 32 MiB of short header lines, or of one line, as fast as loopback carries them.
        for (const auto mode :
             {hostile_ca::HostileMode::header_lines, hostile_ca::HostileMode::header_line}) {
            hostile_ca::HostileHttpServer server({.mode = mode, .max_bytes = 32 * 1024 * 1024});
            REQUIRE(server.start().ok());
            const auto exchange = fetch(server, acme::limits::k_directory, 20s);
            REQUIRE_FALSE(exchange.result.ok());
            INFO(exchange.result.error().message);
            CHECK(contains(exchange.result.error().message,
                           "the response headers are larger than the 64 KiB limit"));
            CHECK(exchange.took < 10s);
        }
    }

    TEST_CASE("a large body is not taken for large headers") {
        // 3 MiB in 48 parts 5 ms apart: the header check sees the body come in.
        hostile_ca::HostileHttpServer server({.mode = hostile_ca::HostileMode::large_body,
                                              .pace = 5ms,
                                              .max_bytes = 3 * 1024 * 1024});
        REQUIRE(server.start().ok());
        const auto exchange = fetch(server, acme::limits::k_certificate_chain, 20s);
        INFO((exchange.result.ok() ? std::string() : exchange.result.error().message));
        REQUIRE(exchange.result.ok());
        CHECK(exchange.result->body.size() == 3 * 1024 * 1024);
    }

    TEST_CASE("a URL that is not an ACME directory says so, not a problem that is not there") {
        for (const auto& [mode, status] :
             {std::pair{hostile_ca::HostileMode::not_found, std::string("HTTP 404")},
              std::pair{hostile_ca::HostileMode::html_page, std::string("HTTP 200")}}) {
            hostile_ca::HostileHttpServer server({.mode = mode});
            REQUIRE(server.start().ok());
            http::Client http(http::Options{});
            const auto connected = acme::AcmeClient::connect(http, server.directory_url());
            REQUIRE_FALSE(connected.ok());
            const auto& message = connected.error().message;
            INFO(message);
            CHECK(contains(message, "ACME directory " + server.directory_url() +
                                        ": not an ACME directory: " + status +
                                        " with text/html; charset=utf-8"));
            CHECK_FALSE(contains(message, "about:blank"));
            CHECK_FALSE(contains(message, "problem document"));
        }
    }

    TEST_CASE("a URL with a control character is refused, and shown escaped") {
        const auto url = http::parse_url("https://ca.test/a\x1b[2Jb");
        REQUIRE_FALSE(url.ok());
        CHECK(contains(url.error().message, "\\x1b[2Jb"));
        CHECK_FALSE(contains(url.error().message, "\x1b"));
    }

    TEST_CASE("a chain is counted by its PEM blocks") {
        std::string pem;
        for (int i = 0; i < 3; ++i)
            pem += "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
        CHECK(acme::count_pem_certificates(pem) == 3);
        CHECK(acme::count_pem_certificates("") == 0);
    }
}

TEST_SUITE("identifier match") {
    const std::vector<std::string> k_names{"*.demo.test", "demo.test"};

    TEST_CASE("an order for exactly the profile's names passes, in any order") {
        acme::Order order;
        order.url = "https://ca.test/order/1";
        order.identifiers = {"demo.test", "*.demo.test"};
        order.authorizations = {"https://ca.test/authz/1", "https://ca.test/authz/2"};
        CHECK(core::check_order_names(order, k_names).ok());
    }

    TEST_CASE("an order for another name, a missing name or a duplicate is refused") {
        acme::Order order;
        order.url = "https://ca.test/order/1";
        order.identifiers = {"*.demo.test", "victim.example.test"};
        auto checked = core::check_order_names(order, k_names);
        REQUIRE_FALSE(checked.ok());
        CHECK(checked.error().kind == ErrorKind::acme);
        CHECK(contains(checked.error().message, "\"victim.example.test\""));

        order.identifiers = {"*.demo.test"};
        checked = core::check_order_names(order, k_names);
        REQUIRE_FALSE(checked.ok());
        CHECK(contains(checked.error().message, "leaves out \"demo.test\""));

        order.identifiers = {"*.demo.test", "demo.test", "demo.test"};
        checked = core::check_order_names(order, k_names);
        REQUIRE_FALSE(checked.ok());
        CHECK(contains(checked.error().message, "\"demo.test\" twice"));
    }

    TEST_CASE("more authorizations than names are refused before any is fetched") {
        acme::Order order;
        order.url = "https://ca.test/order/1";
        order.identifiers = {"*.demo.test", "demo.test"};
        order.authorizations.assign(3002, "https://ca.test/authz/x");
        const auto checked = core::check_order_names(order, k_names);
        REQUIRE_FALSE(checked.ok());
        CHECK(contains(checked.error().message, "3002 authorizations for 2 name(s)"));
    }

    TEST_CASE("authorizations match the names with the wildcard flag, each once") {
        std::vector<std::string> claimed;
        CHECK(core::claim_authorization(authorization("demo.test", true), k_names, claimed).ok());
        CHECK(core::claim_authorization(authorization("demo.test", false), k_names, claimed).ok());
        const auto again =
            core::claim_authorization(authorization("demo.test", false), k_names, claimed);
        REQUIRE_FALSE(again.ok());
        CHECK(contains(again.error().message, "a second authorization for \"demo.test\""));
    }

    TEST_CASE("an authorization for another name is refused, its identifier escaped") {
        for (const auto& [identifier, shown] : std::vector<std::pair<std::string, std::string>>{
                 {"victim.example.test", "\"victim.example.test\""},
                 {"a\\032b.demo.test", "\"a\\032b.demo.test\""},
                 {"a\\.b.demo.test", "\"a\\.b.demo.test\""},
                 {"demo.test\x1b[2J", "\"demo.test\\x1b[2J\""},
                 {"DEMO.test", "\"DEMO.test\""},
             }) {
            CAPTURE(identifier);
            std::vector<std::string> claimed;
            const auto checked =
                core::claim_authorization(authorization(identifier, false), k_names, claimed);
            REQUIRE_FALSE(checked.ok());
            CHECK(checked.error().kind == ErrorKind::acme);
            CHECK(contains(checked.error().message, shown));
            CHECK_FALSE(contains(checked.error().message, "\x1b"));
            CHECK(claimed.empty());
        }
        // The wildcard flag is part of the name: "*.demo.test" is asked for, demo.test with
        // the flag is it; a wildcard of a name not asked for is not.
        std::vector<std::string> claimed;
        CHECK_FALSE(
            core::claim_authorization(authorization("other.test", true), k_names, claimed).ok());
    }
}
