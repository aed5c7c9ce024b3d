#pragma once
// HAProxy's runtime API (the `stats socket` of its global section), the few commands that
// replace a loaded certificate in memory: one command per connection, as HAProxy 2.6 wants
// for the payload form (`set ssl cert <crt> <<` ... empty line).

#include "common/stream_socket.hpp"

#include <wildcert/result.hpp>

#include <string>
#include <string_view>

namespace wildcert::deployers::haproxy {

class Runtime {
public:
    using Clock = common::StreamSocket::Clock;
    Runtime(std::string socket, Clock::time_point deadline)
        : m_socket(std::move(socket)), m_deadline(deadline) {}

    // Starts (or updates) a transaction for `crt` with `pem` (certificate chain and key, no
    // empty line in it). Then commit or abort.
    [[nodiscard]] Result<void> set_certificate(const std::string& crt, std::string_view pem);
    [[nodiscard]] Result<void> commit(const std::string& crt);
    void abort(const std::string& crt);
    // The crt paths HAProxy has loaded (`show ssl cert`), one per line, as it answers.
    [[nodiscard]] Result<std::string> loaded_certificates();

private:
    // Sends `command` (and payload), closes the write side, returns the whole answer.
    [[nodiscard]] Result<std::string> exchange(std::string_view command, std::string_view payload);
    std::string m_socket;
    Clock::time_point m_deadline;
};

// The answer's first line, trimmed and made printable, for messages.
[[nodiscard]] std::string first_line(std::string_view answer);

} // namespace wildcert::deployers::haproxy
