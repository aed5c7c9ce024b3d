// The one waiting primitive (common/cancellable_wait.hpp): it waits as long as asked, not at
// all once cancelled, and a cancellation during a long wait ends it within a step.
#include "common/cancellable_wait.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <thread>

using namespace wildcert::common;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

TEST_CASE("wait_for: the whole duration without a cancel flag") {
    const auto started = Clock::now();
    CHECK(wait_for(120ms, {}));
    CHECK(Clock::now() - started >= 120ms);
}

TEST_CASE("wait_for: a cancelled run does not wait") {
    const auto started = Clock::now();
    CHECK_FALSE(wait_for(10s, [] { return true; }));
    CHECK(Clock::now() - started < 1s);
}

TEST_CASE("wait_for: a cancellation during the wait ends it within a step") {
    std::atomic<bool> stop{false};
    std::jthread canceller([&stop] {
        std::this_thread::sleep_for(100ms);
        stop = true;
    });
    const auto started = Clock::now();
    CHECK_FALSE(wait_for(30s, [&stop] { return stop.load(); }));
    // 100 ms until the flag, then at most one step: far below the 30 s asked for, with room
    // for a loaded machine.
    CHECK(Clock::now() - started < 5s);
}
