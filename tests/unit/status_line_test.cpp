// The status line of a wait (cli/status_line) and its text (core/wait_status).

#include "cli/status_line.hpp"
#include "core/wait_status.hpp"

#include <doctest/doctest.h>

#include <sstream>

using namespace std::chrono_literals;
using wildcert::cli::StatusLine;

namespace {

struct Harness {
    std::ostringstream out;
    StatusLine::Clock::time_point now{};
    StatusLine make(bool terminal, std::size_t width = 80) {
        StatusLine::Settings settings;
        settings.terminal = terminal;
        settings.width = width;
        settings.now = [this] { return now; };
        return StatusLine(out, settings);
    }
};

} // namespace

TEST_CASE("status line: a wait shorter than a second shows nothing") {
    for (const bool terminal : {true, false}) {
        Harness harness;
        auto status = harness.make(terminal);
        status.status("dns: 1 of 2 checks pass; 9s left");
        harness.now += 900ms;
        status.status("dns: 1 of 2 checks pass; 8s left");
        status.status("");
        status.line("dns: all 2 server address(es) serve all 1 name(s)");
        CHECK(harness.out.str() == "wildcert: dns: all 2 server address(es) serve all 1 name(s)\n");
    }
}

TEST_CASE("status line: a terminal rewrites one line in place and prints other lines above it") {
    Harness harness;
    auto status = harness.make(true);
    status.status("dns: 0 of 2 checks pass; 10s left");
    harness.now += 1s;
    status.status("dns: 0 of 2 checks pass; 9s left");
    harness.now += 1s;
    status.status("dns: 1 of 2 checks pass; 8s left");
    status.line("hook: done");
    status.status("");
    CHECK(harness.out.str() == "wildcert: dns: 0 of 2 checks pass; 9s left"
                               "\r\033[Kwildcert: dns: 1 of 2 checks pass; 8s left"
                               "\r\033[Kwildcert: hook: done\n"
                               "wildcert: dns: 1 of 2 checks pass; 8s left"
                               "\r\033[K");
}

TEST_CASE("status line: a terminal line is cut to the width and carries no control character") {
    Harness harness;
    auto status = harness.make(true, 20);
    status.status("ca: \x1b[31mred\x1b[0m detail that is long");
    harness.now += 2s;
    status.status("ca: \x1b[31mred\x1b[0m detail that is long");
    // 19 columns: the escaped text, cut, with "..." to say so.
    CHECK(harness.out.str() == "wildcert: ca: \\x...");
}

TEST_CASE("status line: a log gets a plain line at one second, then one every five") {
    Harness harness;
    auto status = harness.make(false);
    for (int second = 0; second <= 12; ++second) {
        status.status("dns: 0 of 1 checks pass; " + std::to_string(20 - second) + "s left");
        harness.now += 1s;
    }
    status.status("");
    CHECK(harness.out.str() == "wildcert: dns: 0 of 1 checks pass; 19s left\n"
                               "wildcert: dns: 0 of 1 checks pass; 14s left\n"
                               "wildcert: dns: 0 of 1 checks pass; 9s left\n");
}

TEST_CASE("wait status: names what is missing where, counts the rest, rounds time up") {
    wildcert::dns::PropagationProgress progress;
    progress.served = 1;
    progress.total = 4;
    progress.left = 56'001ms;
    for (const auto* server :
         {"ns2.a.test. (10.0.0.2:53)", "ns3.a.test. (10.0.0.3:53)", "ns4.a.test. (10.0.0.4:53)"})
        progress.pending.push_back({"_acme-challenge.a.test.", server, "timeout"});
    CHECK(wildcert::core::propagation_status(progress) ==
          "dns: 1 of 4 checks pass, 57s left; missing: _acme-challenge.a.test. at ns2.a.test. "
          "(10.0.0.2:53), _acme-challenge.a.test. at ns3.a.test. (10.0.0.3:53), 1 more");
    const auto detail = wildcert::core::propagation_detail(progress);
    REQUIRE(detail.size() == 3);
    CHECK(detail[2] == "dns: _acme-challenge.a.test. at ns4.a.test. (10.0.0.4:53): timeout");
    CHECK(wildcert::core::validation_status(1, 2, {"www.a.test"}, 290s) ==
          "ca: 1 of 2 authorizations valid, 290s left; pending: www.a.test");
}
