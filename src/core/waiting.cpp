#include "core/waiting.hpp"

#include "common/cancellable_wait.hpp"

#include <algorithm>

namespace wildcert::core {

Result<void> sleep_for(std::chrono::milliseconds duration, const std::function<bool()>& cancelled) {
    if (!common::wait_for(duration, cancelled))
        return make_error(ErrorKind::interrupted, "interrupted");
    return {};
}

Backoff::Backoff(std::chrono::milliseconds first, std::chrono::milliseconds cap,
                 std::chrono::milliseconds budget)
    : m_first(first), m_next(first), m_cap(cap), m_budget(budget) {}

Result<void> Backoff::wait(std::optional<std::chrono::seconds> retry_after, const std::string& what,
                           const std::string& state, const std::function<bool()>& cancelled) {
    using std::chrono::duration_cast;
    using std::chrono::milliseconds;
    const auto spent = duration_cast<milliseconds>(Clock::now() - m_start);
    if (spent >= m_budget) {
        return make_error(ErrorKind::timeout,
                          what + ": still " + state + " after " +
                              std::to_string(duration_cast<std::chrono::seconds>(spent).count()) +
                              "s");
    }
    // A server asking for more time than is left gets an answer now, not a sleep that ends in
    // the same timeout (RFC 8555 §7.4: Retry-After is the server's estimate).
    if (retry_after && *retry_after > m_budget - spent) {
        return make_error(
            ErrorKind::timeout,
            what + ": still " + state + "; the CA asks to wait " +
                std::to_string(retry_after->count()) + "s (Retry-After), more than the " +
                std::to_string(duration_cast<std::chrono::seconds>(m_budget - spent).count()) +
                "s left to wait");
    }
    // A Retry-After of 0 must not turn the poll into a busy loop: never below the first step.
    auto delay = retry_after ? std::max<milliseconds>(*retry_after, m_first) : m_next;
    delay = std::min(delay, m_budget - spent);
    m_next = std::min(m_next * 2, m_cap);
    return sleep_for(delay, cancelled);
}

std::chrono::milliseconds Backoff::left() const {
    const auto spent =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - m_start);
    return std::max(m_budget - spent, std::chrono::milliseconds(0));
}

} // namespace wildcert::core
