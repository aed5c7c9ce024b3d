#pragma once
// A total deadline for one HTTP exchange. httplib's read and write timeouts restart with every
// byte, so a peer sending one byte a second holds a request forever, in the headers as well as
// in the body; and the TLS handshake runs under a lock that httplib's own stop() waits for.
// The watchdog is a thread that runs an action once the deadline passes unless the exchange
// finished first; the HTTP client's action shuts the connection's socket down, which ends
// whatever read or write is blocked on it. A limit that httplib does not keep (the size of the
// response headers) is a condition the watchdog checks every few milliseconds, with the same
// action when it holds.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

namespace wildcert::http {

class DeadlineWatchdog {
public:
    using Clock = std::chrono::steady_clock;

    // Why the action ran, if it did.
    enum class Fired { no, deadline, condition };

    DeadlineWatchdog() = default;
    DeadlineWatchdog(const DeadlineWatchdog&) = delete;
    DeadlineWatchdog& operator=(const DeadlineWatchdog&) = delete;
    ~DeadlineWatchdog();

    // Runs `expire` on the watchdog's thread at `deadline`, or as soon as `condition` (asked
    // every `every`, on that thread) returns true, unless disarm() comes first. One deadline
    // at a time: arming again replaces it. The thread starts at the first arm().
    void arm(Clock::time_point deadline, std::function<void()> expire,
             std::function<bool()> condition = {},
             Clock::duration every = std::chrono::milliseconds(10));
    // Cancels the deadline and says whether, and why, `expire` ran. Once this returns,
    // `expire` and `condition` are not running and will not run.
    Fired disarm();

private:
    void watch();

    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::optional<Clock::time_point> m_deadline;
    std::function<void()> m_expire;
    std::function<bool()> m_condition;
    Clock::duration m_every{};
    Fired m_fired = Fired::no;
    bool m_stopping = false;
    std::thread m_thread;
};

} // namespace wildcert::http
