// Unit tests for dns: address parsing, TSIG settings, update wire format, the propagation loop.
#include "dns/propagation_loop.hpp"
#include "dns/rcode.hpp"
#include "dns/reply_check.hpp"
#include "dns/resolv_conf.hpp"
#include "dns/server_address.hpp"
#include "dns/update.hpp"
#include "dns/update_packet.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>
#include <string>
#include <vector>

using namespace wildcert;
using namespace wildcert::dns;

TEST_CASE("parse_server_address accepts IP literals with and without port") {
    auto plain = parse_server_address("127.0.0.1");
    REQUIRE(plain.ok());
    CHECK(plain->ip == "127.0.0.1");
    CHECK(plain->port == 53);

    auto with_port = parse_server_address("127.0.0.1:5300");
    REQUIRE(with_port.ok());
    CHECK(*with_port == ServerAddress{"127.0.0.1", 5300});
    CHECK(with_port->to_string() == "127.0.0.1:5300");

    auto v6 = parse_server_address("[::1]:5353");
    REQUIRE(v6.ok());
    CHECK(*v6 == ServerAddress{"::1", 5353});
    CHECK(v6->to_string() == "[::1]:5353");

    auto v6_bracketed = parse_server_address("[2001:db8::53]");
    REQUIRE(v6_bracketed.ok());
    CHECK(*v6_bracketed == ServerAddress{"2001:db8::53", 53});

    auto v6_bare = parse_server_address("2001:db8::1");
    REQUIRE(v6_bare.ok());
    CHECK(*v6_bare == ServerAddress{"2001:db8::1", 53});
}

TEST_CASE("parse_server_address rejects malformed text and names it") {
    for (const char* text :
         {"", "127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:abc", "127.0.0.1:", "[::1", "[::1]53",
          "[127.0.0.1]:53", "[::1]:x", ":53", "2001:db8::zz"}) {
        CAPTURE(text);
        auto parsed = parse_server_address(text);
        REQUIRE_FALSE(parsed.ok());
        CHECK(parsed.error().kind == ErrorKind::dns);
        CHECK(parsed.error().message.find("\"" + std::string(text) + "\"") != std::string::npos);
    }
}

TEST_CASE("parse_tsig_algorithm knows what ldns can sign with") {
    CHECK(parse_tsig_algorithm("hmac-sha256").value() == TsigAlgorithm::hmac_sha256);
    CHECK(parse_tsig_algorithm("HMAC-SHA256.").value() == TsigAlgorithm::hmac_sha256);
    CHECK(parse_tsig_algorithm("hmac-sha512").value() == TsigAlgorithm::hmac_sha512);
    CHECK(parse_tsig_algorithm("hmac-sha1").value() == TsigAlgorithm::hmac_sha1);
    CHECK(parse_tsig_algorithm("hmac-md5").value() == TsigAlgorithm::hmac_md5);
    CHECK(parse_tsig_algorithm("hmac-md5.sig-alg.reg.int.").value() == TsigAlgorithm::hmac_md5);

    auto sha384 = parse_tsig_algorithm("hmac-sha384");
    REQUIRE_FALSE(sha384.ok());
    CHECK(sha384.error().message ==
          "hmac-sha384 is not supported (ldns cannot sign with it); use hmac-sha256, "
          "hmac-sha512, hmac-sha1 or hmac-md5");
    auto sha224 = parse_tsig_algorithm("hmac-sha224");
    REQUIRE_FALSE(sha224.ok());
    CHECK(sha224.error().message.find("hmac-sha224 is not supported") == 0);
    auto unknown = parse_tsig_algorithm("rot13");
    REQUIRE_FALSE(unknown.ok());
    CHECK(unknown.error().message.find("\"rot13\"") != std::string::npos);
    CHECK_FALSE(parse_tsig_algorithm("").ok());
}

TEST_CASE("check_tsig_secret wants padded base64 and never echoes the secret") {
    CHECK(check_tsig_secret("UdQ2HW0EwgyDgp/yANNgwyVI3eW5nJv0L87BsC+dEjs=").ok());
    CHECK(check_tsig_secret("c2VjcmV0").ok());
    CHECK(check_tsig_secret("c2VjcmU=").ok());
    CHECK(check_tsig_secret("c2VjcmV0cw==").ok());
    for (const char* secret :
         {"", "s3cr3t!!", "c2VjcmV0cw", "c2Vj=mV0", "A===", "c2VjcmV0 cw==", "c2VjcmV0-_=="}) {
        CAPTURE(secret);
        auto checked = check_tsig_secret(secret);
        REQUIRE_FALSE(checked.ok());
        if (*secret != '\0')
            CHECK(checked.error().message.find(secret) == std::string::npos);
    }
}

TEST_CASE("rcode and TSIG error names") {
    CHECK(rcode_name(0) == "NOERROR");
    CHECK(rcode_name(3) == "NXDOMAIN");
    CHECK(rcode_name(5) == "REFUSED");
    CHECK(rcode_name(9) == "NOTAUTH");
    CHECK(rcode_name(10) == "NOTZONE");
    CHECK(rcode_name(12) == "RCODE 12");
    CHECK(tsig_error_name(16) == "BADSIG");
    CHECK(tsig_error_name(17) == "BADKEY");
    CHECK(tsig_error_name(18) == "BADTIME");
}

namespace {

// A minimal reader of the update messages update_wire builds, enough to see each RR's class.
struct WireRr {
    std::string owner;
    std::uint16_t type = 0;
    std::uint16_t rr_class = 0;
    std::uint32_t ttl = 0;
    std::vector<std::uint8_t> rdata;
};

struct WireReader {
    const std::vector<std::uint8_t>& bytes;
    std::size_t pos = 0;

    std::uint16_t u16() {
        REQUIRE(pos + 2 <= bytes.size());
        const auto value = static_cast<std::uint16_t>(bytes[pos] << 8 | bytes[pos + 1]);
        pos += 2;
        return value;
    }
    std::uint32_t u32() {
        const std::uint32_t high = u16();
        return high << 16 | u16();
    }
    std::string name_at(std::size_t at, int depth = 0) const {
        REQUIRE(depth < 10);
        std::string name;
        for (;;) {
            REQUIRE(at < bytes.size());
            const std::uint8_t length = bytes[at];
            if (length == 0)
                return name.empty() ? "." : name;
            if ((length & 0xC0) == 0xC0) {
                const std::size_t target = (length & 0x3F) << 8 | bytes[at + 1];
                const auto rest = name_at(target, depth + 1);
                return name + (rest == "." ? "" : rest);
            }
            REQUIRE(at + 1 + length <= bytes.size());
            name.append(reinterpret_cast<const char*>(&bytes[at + 1]), length);
            name.push_back('.');
            at += 1 + length;
        }
    }
    std::string name() {
        auto result = name_at(pos);
        while (bytes[pos] != 0 && (bytes[pos] & 0xC0) != 0xC0)
            pos += 1 + bytes[pos];
        pos += bytes[pos] == 0 ? 1 : 2;
        return result;
    }
    WireRr rr() {
        WireRr record;
        record.owner = name();
        record.type = u16();
        record.rr_class = u16();
        record.ttl = u32();
        const auto length = u16();
        REQUIRE(pos + length <= bytes.size());
        record.rdata.assign(bytes.begin() + static_cast<std::ptrdiff_t>(pos),
                            bytes.begin() + static_cast<std::ptrdiff_t>(pos + length));
        pos += length;
        return record;
    }
};

const std::vector<TxtChange> k_changes{
    {"_acme-challenge.example.test.", "ZTRx1Ckl1-tM05o5zaizTTA0yUy5AGereMgSNWC6Ll8",
     std::chrono::seconds(60)},
    {"_acme-challenge.example.test", "second-value", std::chrono::seconds(120)},
};

std::vector<std::uint8_t> txt_rdata(const std::string& value) {
    std::vector<std::uint8_t> data;
    data.push_back(static_cast<std::uint8_t>(value.size()));
    for (const char c : value)
        data.push_back(static_cast<std::uint8_t>(c));
    return data;
}

} // namespace

TEST_CASE("an add update puts class IN records in the update section (RFC 2136 §2.5.1)") {
    auto wire = update_wire("Example.Test", k_changes, UpdateAction::add);
    REQUIRE(wire.ok());
    WireReader reader{*wire};
    CHECK(reader.u16() == 0);      // id
    CHECK(reader.u16() == 0x2800); // QR 0, opcode UPDATE (5), RD off, rcode 0
    CHECK(reader.u16() == 1);      // ZOCOUNT
    CHECK(reader.u16() == 0);      // PRCOUNT
    CHECK(reader.u16() == 2);      // UPCOUNT
    CHECK(reader.u16() == 0);      // ADCOUNT (TSIG is added when sending)
    CHECK(reader.name() == "example.test.");
    CHECK(reader.u16() == 6); // SOA
    CHECK(reader.u16() == 1); // IN
    const auto first = reader.rr();
    CHECK(first.owner == "_acme-challenge.example.test.");
    CHECK(first.type == 16);
    CHECK(first.rr_class == 1);
    CHECK(first.ttl == 60);
    CHECK(first.rdata == txt_rdata(k_changes[0].value));
    const auto second = reader.rr();
    CHECK(second.rr_class == 1);
    CHECK(second.ttl == 120);
    CHECK(second.rdata == txt_rdata("second-value"));
    CHECK(reader.pos == wire->size());
}

TEST_CASE("a remove update deletes single RRs: class NONE, TTL 0, RDATA kept (RFC 2136 §2.5.4)") {
    auto wire = update_wire("example.test.", k_changes, UpdateAction::remove);
    REQUIRE(wire.ok());
    WireReader reader{*wire};
    reader.pos = 12;
    CHECK(reader.name() == "example.test.");
    reader.pos += 4;
    for (const auto& change : k_changes) {
        const auto rr = reader.rr();
        CHECK(rr.owner == "_acme-challenge.example.test.");
        CHECK(rr.type == 16);
        // 254 is NONE; 255 (ANY) would delete the whole RRset and the other value with it.
        CHECK(rr.rr_class == 254);
        CHECK(rr.ttl == 0);
        CHECK(rr.rdata == txt_rdata(change.value));
    }
    CHECK(reader.pos == wire->size());
}

TEST_CASE("the permission probe adds each value, then deletes it again, in one message") {
    auto wire = update_wire("example.test.", k_changes, UpdateAction::add_and_remove);
    REQUIRE(wire.ok());
    WireReader reader{*wire};
    reader.pos = 6;
    CHECK(reader.u16() == 0); // PRCOUNT: no prerequisite that could hide a refusal
    CHECK(reader.u16() == 4); // UPCOUNT: two records per value
    reader.pos = 12;
    CHECK(reader.name() == "example.test.");
    reader.pos += 4;
    for (const auto& change : k_changes) {
        // RFC 2136 §3.4.2 applies the update section in order: add first, then the delete of
        // that one RR (class NONE, never ANY), so the zone ends as it began.
        const auto added = reader.rr();
        CHECK(added.owner == "_acme-challenge.example.test.");
        CHECK(added.type == 16);
        CHECK(added.rr_class == 1);
        CHECK(added.ttl == static_cast<std::uint32_t>(change.ttl.count()));
        CHECK(added.rdata == txt_rdata(change.value));
        const auto deleted = reader.rr();
        CHECK(deleted.owner == "_acme-challenge.example.test.");
        CHECK(deleted.type == 16);
        CHECK(deleted.rr_class == 254);
        CHECK(deleted.ttl == 0);
        CHECK(deleted.rdata == txt_rdata(change.value));
    }
    CHECK(reader.pos == wire->size());
}

TEST_CASE("update_wire refuses what cannot be sent") {
    CHECK_FALSE(update_wire("example.test.", {}, UpdateAction::add).ok());
    const std::vector<TxtChange> too_long{
        {"_acme-challenge.example.test.", std::string(256, 'a'), std::chrono::seconds(60)}};
    CHECK_FALSE(update_wire("example.test.", too_long, UpdateAction::add).ok());
}

TEST_CASE("parse_resolv_conf reads nameserver lines") {
    const auto servers = parse_resolv_conf("# comment\n"
                                           "search example.com\n"
                                           "nameserver 10.0.0.2\n"
                                           "nameserver   2001:db8::53  \n"
                                           "nameserver fe80::1%eth0\n"
                                           "#nameserver 10.9.9.9\n"
                                           "options edns0\n"
                                           "nameserver\n");
    REQUIRE(servers.size() == 2);
    CHECK(servers[0] == ServerAddress{"10.0.0.2", 53});
    CHECK(servers[1] == ServerAddress{"2001:db8::53", 53});
}

TEST_CASE("judge_answer compares served values with the expected ones") {
    const std::vector<std::string> expected{"a", "b"};
    CHECK(judge_answer(expected, TxtAnswer{0, true, {"b", "other", "a"}}, true).complete);
    const auto partial = judge_answer(expected, TxtAnswer{0, true, {"a"}}, true);
    CHECK_FALSE(partial.complete);
    CHECK(partial.problem == "missing 1 of 2 values (has 1 TXT record): \"b\"");
    CHECK(judge_answer(expected, TxtAnswer{3, true, {}}, true).problem ==
          "NXDOMAIN (lacks \"a\", \"b\")");
    CHECK(judge_answer(expected, TxtAnswer{5, false, {}}, true).problem ==
          "REFUSED (lacks \"a\", \"b\")");
    CHECK(judge_answer(expected, TxtAnswer{0, true, {}}, true).problem ==
          "missing 2 of 2 values (has 0 TXT records): \"a\", \"b\"");
    // Without AA the values are someone else's: lame, even when they are all there.
    CHECK(judge_answer(expected, TxtAnswer{0, false, {"a", "b"}}, true).problem ==
          "not authoritative for the name (lame delegation)");
    // A resolver (propagation_check = "resolvers") never sets AA.
    CHECK(judge_answer(expected, TxtAnswer{0, false, {"a", "b"}}, false).complete);
    const Result<TxtAnswer> silent = make_error(
        ErrorKind::dns, "DNS server 127.0.0.1:53: TXT query for x.: no answer within 2s");
    CHECK(judge_answer(expected, silent, true).problem == "no answer within 2s");
}

namespace {

// A clock that only moves when the loop sleeps.
struct FakeClock {
    std::chrono::steady_clock::time_point now{};
    std::vector<std::chrono::milliseconds> sleeps;

    LoopClock clock() {
        return LoopClock{[this] { return now; },
                         [this](std::chrono::milliseconds step) {
                             sleeps.push_back(step);
                             now += step;
                         }};
    }
    std::chrono::milliseconds elapsed() const {
        return std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch());
    }
};

std::vector<PropagationTarget> two_targets() {
    const AuthoritativeServer ns1{"ns1.demo.test.", ServerAddress{"127.0.0.1", 53}};
    const AuthoritativeServer ns2{"ns2.demo.test.", ServerAddress{"127.0.0.2", 53}};
    return {PropagationTarget{"_acme-challenge.demo.test.", "demo.test.", {"v1", "v2"}, {ns1, ns2}},
            PropagationTarget{"_acme-challenge.www.demo.test.", "demo.test.", {"v3"}, {ns1, ns2}}};
}

PropagationOptions options_for_test() {
    PropagationOptions options;
    options.timeout = std::chrono::seconds(10);
    options.interval = std::chrono::seconds(2);
    return options;
}

} // namespace

TEST_CASE("propagation: the first round starts at once and a complete round ends the wait") {
    FakeClock fake;
    std::atomic<int> checks{0};
    const CheckFunction check = [&](const PropagationTarget&, const AuthoritativeServer&) {
        ++checks;
        return ServerCheck{true, {}};
    };
    CHECK(run_propagation_loop(two_targets(), options_for_test(), check, fake.clock()).ok());
    CHECK(checks == 4);
    CHECK(fake.sleeps.empty());
}

TEST_CASE("propagation: rounds are one interval apart until every server serves every value") {
    FakeClock fake;
    std::mutex mutex;
    std::map<std::string, int> rounds_seen;
    std::vector<PropagationProgress> progress;
    auto options = options_for_test();
    options.progress = [&](const PropagationProgress& report) { progress.push_back(report); };
    // ns2 catches up on its third check.
    const CheckFunction check = [&](const PropagationTarget& target,
                                    const AuthoritativeServer& server) {
        const std::lock_guard lock(mutex);
        const int seen = ++rounds_seen[target.fqdn + server.name];
        if (server.name == "ns2.demo.test." && seen < 3)
            return ServerCheck{false, "missing 1 of 2 values (has 1 TXT record)"};
        return ServerCheck{true, {}};
    };
    const auto stats = run_propagation_loop(two_targets(), options, check, fake.clock());
    REQUIRE(stats.ok());
    // A server that served every value is not asked again; ns2 is asked in every round.
    CHECK(rounds_seen["_acme-challenge.demo.test.ns1.demo.test."] == 1);
    CHECK(rounds_seen["_acme-challenge.demo.test.ns2.demo.test."] == 3);
    CHECK(stats->rounds == 3);
    CHECK(stats->checks == 4 + 2 + 2);
    CHECK(fake.elapsed() == std::chrono::seconds(4));
    for (const auto step : fake.sleeps)
        CHECK(step <= k_sleep_step);
    // After each of the two failing rounds a report, then one countdown tick a second in the
    // 2 s pause (the tick at the pause's end gives way to the next round).
    std::vector<bool> ended;
    for (const auto& report : progress)
        ended.push_back(report.round_ended);
    CHECK(ended == std::vector<bool>{true, false, true, false});
    const auto& first = progress.front();
    CHECK(first.served == 2);
    CHECK(first.total == 4);
    REQUIRE(first.pending.size() == 2);
    CHECK(first.pending[0].fqdn == "_acme-challenge.demo.test.");
    CHECK(first.pending[0].server == "ns2.demo.test. (127.0.0.2:53)");
    CHECK(first.pending[0].problem == "missing 1 of 2 values (has 1 TXT record)");
    CHECK(first.left == std::chrono::seconds(10));
    CHECK(progress[1].left == std::chrono::seconds(9));
    CHECK(progress[2].left == std::chrono::seconds(8));
}

TEST_CASE("propagation: the timeout lists every server that lacked a value") {
    FakeClock fake;
    const CheckFunction check = [](const PropagationTarget& target,
                                   const AuthoritativeServer& server) {
        if (server.name == "ns1.demo.test.")
            return ServerCheck{true, {}};
        if (target.fqdn == "_acme-challenge.demo.test.")
            return ServerCheck{false, "missing 1 of 2 values (has 0 TXT records)"};
        return ServerCheck{false, "REFUSED"};
    };
    auto options = options_for_test();
    options.timeout = std::chrono::seconds(5);
    const auto result = run_propagation_loop(two_targets(), options, check, fake.clock());
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().kind == ErrorKind::timeout);
    const auto& message = result.error().message;
    CHECK(message.find("after 5s") != std::string::npos);
    CHECK(message.find("_acme-challenge.demo.test. at ns2.demo.test. (127.0.0.2:53): missing 1 "
                       "of 2 values (has 0 TXT records)") != std::string::npos);
    CHECK(message.find("_acme-challenge.www.demo.test. at ns2.demo.test. (127.0.0.2:53): "
                       "REFUSED") != std::string::npos);
    CHECK(message.find("ns1.demo.test.") == std::string::npos);
    // Rounds at 0, 2, 4 and a last one at the deadline; never a sleep past it.
    CHECK(fake.elapsed() == std::chrono::seconds(5));
}

TEST_CASE("propagation: cancellation is noticed while sleeping") {
    FakeClock fake;
    auto options = options_for_test();
    options.cancelled = [&fake] { return fake.now.time_since_epoch() >= std::chrono::seconds(3); };
    const CheckFunction check = [](const PropagationTarget&, const AuthoritativeServer&) {
        return ServerCheck{false, "no answer within 2s"};
    };
    const auto result = run_propagation_loop(two_targets(), options, check, fake.clock());
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().kind == ErrorKind::interrupted);
    CHECK(fake.elapsed() <= std::chrono::milliseconds(3100));
}

TEST_CASE("propagation: nothing to check is immediate success") {
    FakeClock fake;
    const CheckFunction check = [](const PropagationTarget&, const AuthoritativeServer&) {
        return ServerCheck{false, "unreachable"};
    };
    CHECK(run_propagation_loop({}, options_for_test(), check, fake.clock()).ok());
}

#ifdef WILDCERT_SOURCE_ROOT
namespace {

// A reply BIND 9.18 sent, as captured for the fuzz corpus (tests/fuzz/corpus/README.md).
std::vector<std::string> check_captured(const std::string& file) {
    const auto path =
        std::filesystem::path(WILDCERT_SOURCE_ROOT) / "tests/fuzz/corpus/dns_reply" / file;
    std::ifstream in(path, std::ios::binary);
    const std::vector<std::uint8_t> wire{std::istreambuf_iterator<char>(in),
                                         std::istreambuf_iterator<char>()};
    REQUIRE_FALSE(wire.empty());
    return wildcert::dns::check_reply("unused.", {"ZTRx1Ckl1-tM05o5zaizTTA0yUy5AGereMgSNWC6Ll8"},
                                      wire);
}

bool has_line(const std::vector<std::string>& lines, const std::string& line) {
    return std::find(lines.begin(), lines.end(), line) != lines.end();
}

} // namespace

TEST_SUITE("dns reply check") {
    TEST_CASE("real BIND replies are judged as the propagation checker judges them") {
        const auto two = check_captured("bind_txt_two_values.bin");
        CHECK(has_line(two, "name: _acme-challenge.fuzz.test."));
        CHECK(has_line(two, "answers the question: yes"));
        CHECK(has_line(two, "authoritative TXT check: complete"));

        // Two character-strings of one RR are one value (RFC 1035 §3.3.14).
        CHECK(has_line(check_captured("bind_txt_split_strings.bin"),
                       "authoritative TXT check: complete"));
        CHECK(has_line(check_captured("bind_txt_truncated.bin"), "truncated: yes"));
        CHECK(has_line(check_captured("bind_txt_nxdomain.bin"),
                       "authoritative TXT check: NXDOMAIN (lacks "
                       "\"ZTRx1Ckl1-tM05o5zaizTTA0yUy5AGereMgSNWC6Ll8\")"));
        CHECK(has_line(check_captured("bind_txt_nxdomain.bin"), "zone apex: fuzz.test."));
        // A referral has no AA bit: a server that only refers is lame for the name.
        CHECK(has_line(check_captured("bind_referral.bin"),
                       "authoritative TXT check: not authoritative for the name (lame "
                       "delegation)"));
        CHECK(has_line(check_captured("bind_soa.bin"), "SOA serial: 2024061501"));
        CHECK(has_line(check_captured("bind_ns_with_glue.bin"), "authoritative servers: 3"));
        CHECK(has_line(check_captured("bind_cname.bin"),
                       "CNAME target: _acme-challenge.validation.fuzz.test."));
    }

    TEST_CASE("bytes that are no DNS message give one line, not a crash") {
        const std::vector<std::uint8_t> junk{0x12, 0x34, 0x81};
        const auto lines = wildcert::dns::check_reply("x.test.", {}, junk);
        REQUIRE(lines.size() == 1);
        CHECK(lines.front().find("undecodable reply") != std::string::npos);
    }
}
#endif
