#include "http/deadline_watchdog.hpp"

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

void DeadlineWatchdog::arm(Clock::time_point deadline, std::function<void()> expire) {
    {
        std::lock_guard lock(m_mutex);
        m_deadline = deadline;
        m_expire = std::move(expire);
        m_fired = false;
        if (!m_thread.joinable())
            m_thread = std::thread([this] { watch(); });
    }
    m_changed.notify_all();
}

bool DeadlineWatchdog::disarm() {
    std::lock_guard lock(m_mutex);
    m_deadline.reset();
    m_expire = nullptr;
    return m_fired;
}

void DeadlineWatchdog::watch() {
    std::unique_lock lock(m_mutex);
    while (!m_stopping) {
        if (!m_deadline) {
            m_changed.wait(lock);
            continue;
        }
        if (Clock::now() < *m_deadline) {
            m_changed.wait_until(lock, *m_deadline);
            continue;
        }
        // Under the lock: disarm() waits for the action, so it never outlives the exchange.
        m_fired = true;
        m_deadline.reset();
        if (m_expire)
            m_expire();
        m_expire = nullptr;
    }
}

} // namespace wildcert::http
