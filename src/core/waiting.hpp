#pragma once
// Bounded, cancellable waiting in the issuance flow, on top of common/cancellable_wait.hpp.

#include <wildcert/result.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <string>

namespace wildcert::core {

using Clock = std::chrono::steady_clock;

// Sleeps for `duration`; ErrorKind::interrupted as soon as `cancelled` says so.
[[nodiscard]] Result<void> sleep_for(std::chrono::milliseconds duration,
                                     const std::function<bool()>& cancelled);

// Exponential backoff between polls of an ACME resource: short first steps because a local or
// fast CA is often done within milliseconds; Retry-After wins when the server sends it.
class Backoff {
public:
    Backoff(std::chrono::milliseconds first, std::chrono::milliseconds cap,
            std::chrono::milliseconds budget);

    // Waits before the next poll; ErrorKind::timeout ("<what>: still <state> after 300s")
    // when the budget is spent.
    [[nodiscard]] Result<void> wait(std::optional<std::chrono::seconds> retry_after,
                                    const std::string& what, const std::string& state,
                                    const std::function<bool()>& cancelled);
    // What is left of the budget (zero once it is spent).
    [[nodiscard]] std::chrono::milliseconds left() const;

private:
    std::chrono::milliseconds m_first;
    std::chrono::milliseconds m_next;
    std::chrono::milliseconds m_cap;
    std::chrono::milliseconds m_budget;
    Clock::time_point m_start = Clock::now();
};

} // namespace wildcert::core
