#pragma once
// The polling loop of wait_for_propagation with the clock and the DNS questions injected, so
// that its timing and messages can be tested without a network or a real clock.

#include "dns/propagation.hpp"
#include "dns/query.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace wildcert::dns {

struct ServerCheck {
    bool complete = false; // the server serves every expected value
    std::string problem;   // when not complete: "missing 1 of 2 values (has 0 TXT records)"
};

using CheckFunction =
    std::function<ServerCheck(const PropagationTarget&, const AuthoritativeServer&)>;
// The SOA serial `server` serves for `zone`; nullopt when it has none or does not answer.
using SerialFunction = std::function<std::optional<std::uint32_t>(const std::string& zone,
                                                                  const AuthoritativeServer&)>;

struct LoopClock {
    std::function<std::chrono::steady_clock::time_point()> now;
    std::function<void(std::chrono::milliseconds)> sleep;
};

// Longest single sleep, so that `cancelled` is noticed quickly.
inline constexpr std::chrono::milliseconds k_sleep_step{100};
// Checks running at the same time.
inline constexpr std::size_t k_max_parallel_checks = 16;

// The wait_for_propagation loop over `check` and `clock`. `serial` (may be empty) is only
// asked when the wait times out, for the report.
[[nodiscard]] Result<PropagationStats>
run_propagation_loop(const std::vector<PropagationTarget>& targets,
                     const PropagationOptions& options, const CheckFunction& check,
                     const LoopClock& clock, const SerialFunction& serial = {});

// What one server answered, judged against the expected values (the real check). A NOERROR
// answer without the AA bit from a server that must be authoritative is lame.
[[nodiscard]] ServerCheck judge_answer(const std::vector<std::string>& expected,
                                       const Result<TxtAnswer>& answer, bool require_authoritative);

} // namespace wildcert::dns
