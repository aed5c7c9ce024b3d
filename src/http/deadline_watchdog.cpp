#include "http/deadline_watchdog.hpp"

#include <algorithm>

namespace wildcert::http {

DeadlineWatchdog::~DeadlineWatchdog() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_changed.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

void DeadlineWatchdog::arm(Clock::time_point deadline, std::function<void()> expire,
                           std::function<bool()> condition, Clock::duration every) {
    {
        std::lock_guard lock(m_mutex);
        m_deadline = deadline;
        m_expire = std::move(expire);
        m_condition = std::move(condition);
        m_every = every;
        m_fired = Fired::no;
        if (!m_thread.joinable())
            m_thread = std::thread([this] { watch(); });
    }
    m_changed.notify_all();
}

DeadlineWatchdog::Fired DeadlineWatchdog::disarm() {
    std::lock_guard lock(m_mutex);
    m_deadline.reset();
    m_expire = nullptr;
    m_condition = nullptr;
    return m_fired;
}

void DeadlineWatchdog::watch() {
    std::unique_lock lock(m_mutex);
    while (!m_stopping) {
        if (!m_deadline) {
            m_changed.wait(lock);
            continue;
        }
        const auto now = Clock::now();
        // Under the lock, as the action: disarm() waits for both, so neither outlives the
        // exchange.
        const bool held = now < *m_deadline && m_condition && m_condition();
        if (now < *m_deadline && !held) {
            const auto wake = m_condition ? std::min(*m_deadline, now + m_every) : *m_deadline;
            m_changed.wait_until(lock, wake);
            continue;
        }
        m_fired = held ? Fired::condition : Fired::deadline;
        m_deadline.reset();
        m_condition = nullptr;
        if (m_expire)
            m_expire();
        m_expire = nullptr;
    }
}

} // namespace wildcert::http
