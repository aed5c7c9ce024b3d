#pragma once
// The run's progress lines, the one part every other part may be given: orders run on worker
// threads, so one line at a time reaches the caller's sink. Never given a secret.

#include <wildcert/client.hpp>

#include <mutex>
#include <string>

namespace wildcert::core {

class ProgressLog {
public:
    explicit ProgressLog(LogSink sink) : m_sink(std::move(sink)) {}

    void info(const std::string& line) const { send(LogLevel::info, line); }
    void debug(const std::string& line) const { send(LogLevel::debug, line); }
    // Where a wait stands; "" when it is over (LogLevel::status).
    void status(const std::string& line) const { send(LogLevel::status, line); }

private:
    void send(LogLevel level, const std::string& line) const {
        if (!m_sink)
            return;
        const std::lock_guard lock(m_mutex);
        m_sink(level, line);
    }

    LogSink m_sink;
    mutable std::mutex m_mutex;
};

} // namespace wildcert::core
