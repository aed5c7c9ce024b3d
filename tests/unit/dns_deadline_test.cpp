// Every DNS exchange has one total deadline (hardening issue item 7, issue 13 item 4): the
// RFC 2136 UPDATE (the provider's access check is one), the SOA probe, and the questions of
// the propagation check end by their timeout however the server paces its bytes, and each
// failure says what happened. The real functions run against the hostile DNS server of
// tests/hostile_dns on loopback; its replies are finite, so a client without the deadline
// fails a bound here instead of hanging.
#include "dns/soa_probe.hpp"
#include "dns/update.hpp"
#include "tests/hostile_dns/hostile_dns.hpp"

#include <doctest/doctest.h>

using namespace wildcert;
using namespace std::chrono_literals;

namespace {

using Clock = std::chrono::steady_clock;

bool contains(const std::string& text, std::string_view part) {
    return text.find(part) != std::string::npos;
}

struct Outcome {
    std::string message; // empty when the call succeeded
    std::chrono::milliseconds took;
};

template <typename Call>
Outcome timed(Call&& call) {
    const auto started = Clock::now();
    const auto result = call();
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
    return {result.ok() ? std::string() : result.error().message, took};
}

dns::ServerAddress address_of(const hostile_dns::HostileDnsServer& server) {
    return {"127.0.0.1", static_cast<std::uint16_t>(server.port())};
}

Outcome access_check(const hostile_dns::HostileDnsServer& server,
                     std::chrono::milliseconds timeout) {
    const dns::TsigKey key{"wildcert-key", dns::TsigAlgorithm::hmac_sha256,
                           "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0"};
    return timed([&] {
        return dns::check_update_access(address_of(server), key, "demo.test",
                                        dns::UpdateOptions{timeout});
    });
}

Outcome soa_probe(const hostile_dns::HostileDnsServer& server, std::chrono::milliseconds timeout) {
    return timed([&] { return dns::probe_soa_serial(address_of(server), "demo.test", timeout); });
}

} // namespace

TEST_SUITE("dns deadlines") {
    TEST_CASE("a server that accepts TCP and never answers fails at the timeout, saying so") {
        hostile_dns::HostileDnsServer server({.mode = hostile_dns::DnsMode::tcp_silent});
        REQUIRE(server.start().ok());
        const auto update = access_check(server, 500ms);
        INFO(update.message);
        CHECK(contains(update.message, "update of zone demo.test. at " + server.address() +
                                           ": no answer within 0.5s"));
        CHECK(update.took >= 500ms);
        CHECK(update.took < 1500ms);

        // UDP says "truncated" at once; the TCP retry shares the question's one deadline.
        const auto probe = soa_probe(server, 500ms);
        INFO(probe.message);
        CHECK(contains(probe.message, "DNS server " + server.address() +
                                          ": SOA query for demo.test. (over TCP after a "
                                          "truncated UDP reply): no answer within 0.5s"));
        CHECK(probe.took >= 500ms);
        CHECK(probe.took < 1500ms);
    }

    TEST_CASE("a reply trickled a byte at a time ends at the timeout, not when it is complete") {
        // About 30 bytes at 100 ms: 3 s to complete, against a timeout of 500 ms. Each byte
        // comes well within the timeout, which kept a per-read timeout waiting.
        hostile_dns::HostileDnsServer server(
            {.mode = hostile_dns::DnsMode::tcp_trickle, .pace = 100ms});
        REQUIRE(server.start().ok());
        for (const auto& outcome : {access_check(server, 500ms), soa_probe(server, 500ms)}) {
            INFO(outcome.message);
            CHECK(contains(outcome.message, "no complete answer within 0.5s ("));
            CHECK(contains(outcome.message, " bytes arrived)"));
            CHECK(outcome.took >= 500ms);
            CHECK(outcome.took < 1500ms);
        }
    }

    TEST_CASE("a TCP service that is not DNS is named as such, at once, not as refused") {
        hostile_dns::HostileDnsServer server({.mode = hostile_dns::DnsMode::tcp_not_dns});
        REQUIRE(server.start().ok());
        for (const auto& outcome : {access_check(server, 5s), soa_probe(server, 5s)}) {
            INFO(outcome.message);
            CHECK(contains(outcome.message,
                           "not a DNS reply (it starts with \"HTTP/1.1 400 Bad Request"));
            CHECK_FALSE(contains(outcome.message, "refused"));
            // Decided from the first bytes: long before the 5 s timeout.
            CHECK(outcome.took < 2500ms);
        }
    }

    TEST_CASE("UDP silence is a timeout; a closed TCP port is refused, at once") {
        hostile_dns::HostileDnsServer server({.mode = hostile_dns::DnsMode::udp_silent});
        REQUIRE(server.start().ok());
        const auto probe = soa_probe(server, 500ms);
        INFO(probe.message);
        CHECK(contains(probe.message, "SOA query for demo.test.: no answer within 0.5s"));
        CHECK(probe.took >= 500ms);
        CHECK(probe.took < 1500ms);
        CHECK(server.queries() == 1);

        const auto update = access_check(server, 5s);
        INFO(update.message);
        CHECK(contains(update.message, "at " + server.address() + ": TCP connection refused"));
        CHECK(update.took < 2500ms);
    }

    TEST_CASE("a UDP reply with another id is ignored, not believed, until the timeout") {
        hostile_dns::HostileDnsServer server({.mode = hostile_dns::DnsMode::udp_wrong_id});
        REQUIRE(server.start().ok());
        const auto probe = soa_probe(server, 500ms);
        INFO(probe.message);
        CHECK(contains(probe.message, "SOA query for demo.test.: no answer within 0.5s (ignored "
                                      "1 datagram that did not answer the query)"));
        CHECK(probe.took >= 500ms);
    }

    TEST_CASE("an unsigned NOERROR to a signed update is not taken for success") {
        // The trickle completes within the timeout: a valid reply, but without TSIG.
        hostile_dns::HostileDnsServer server(
            {.mode = hostile_dns::DnsMode::tcp_trickle, .pace = 1ms});
        REQUIRE(server.start().ok());
        const auto update = access_check(server, 10s);
        INFO(update.message);
        CHECK(contains(update.message, "the server answered NOERROR but the reply's TSIG "
                                       "signature does not verify"));
    }
}
