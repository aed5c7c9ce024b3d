#pragma once
// A stream connection with a deadline on every step, for the small line protocols deployers
// speak (HAProxy's runtime API) and the TLS probe of endpoint verification. Either a unix
// socket (an absolute path) or TCP to "host:port" / "[v6]:port"; host names are resolved with
// common/host_lookup.hpp, so a slow resolver cannot outlast the deadline either.

#include <wildcert/result.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace wildcert::common {

// "host:port" split; nullopt-like empty host when the text has no port.
struct HostPort {
    std::string host; // without brackets
    std::uint16_t port = 0;
};
[[nodiscard]] Result<HostPort> split_host_port(std::string_view text);

class StreamSocket {
public:
    using Clock = std::chrono::steady_clock;

    // Connects to `where`: a path starting with '/' is a unix socket, anything else
    // "host:port". Errors are ErrorKind::network and name `where`.
    [[nodiscard]] static Result<StreamSocket> connect(const std::string& where,
                                                      Clock::time_point deadline);

    StreamSocket(StreamSocket&& other) noexcept;
    StreamSocket& operator=(StreamSocket&& other) noexcept;
    StreamSocket(const StreamSocket&) = delete;
    StreamSocket& operator=(const StreamSocket&) = delete;
    ~StreamSocket();

    [[nodiscard]] Result<void> write_all(std::string_view bytes, Clock::time_point deadline);
    // No more writes: the peer reads end of file (HAProxy answers a command then).
    void shutdown_write();
    // Everything the peer sends until it closes, at most `max_bytes` (more is an error).
    [[nodiscard]] Result<std::string> read_to_end(std::size_t max_bytes,
                                                  Clock::time_point deadline);
    // Waits until the socket is readable (`for_write` false) or writable; false at the
    // deadline. For callers that drive their own non-blocking protocol (TLS).
    [[nodiscard]] bool wait(bool for_write, Clock::time_point deadline) const;

    [[nodiscard]] int fd() const { return m_fd; }
    [[nodiscard]] const std::string& where() const { return m_where; }

private:
    StreamSocket(int fd, std::string where) : m_fd(fd), m_where(std::move(where)) {}
    int m_fd = -1;
    std::string m_where;
};

} // namespace wildcert::common
