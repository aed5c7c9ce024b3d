#include "common/stream_socket.hpp"

#include "common/host_lookup.hpp"
#include "common/printable.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <memory>
#include <utility>

namespace wildcert::common {
namespace {

using Clock = StreamSocket::Clock;

int remaining_ms(Clock::time_point deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    return static_cast<int>(std::clamp<long long>(left, 0, 60'000));
}

bool wait_on(int fd, short events, Clock::time_point deadline) {
    for (;;) {
        pollfd p{fd, events, 0};
        const int ms = remaining_ms(deadline);
        const int ready = ::poll(&p, 1, ms);
        if (ready > 0)
            return true;
        if (ready < 0 && errno == EINTR)
            continue;
        if (ready == 0 && ms > 0 && Clock::now() < deadline)
            continue; // a wait longer than one poll's cap
        return false;
    }
}

Error network_error(const std::string& where, const std::string& what) {
    return make_error(ErrorKind::network, printable(where) + ": " + what);
}

// A non-blocking connect to one address; the descriptor, or the errno.
std::pair<int, int> connect_to(const sockaddr* address, socklen_t length, int family,
                               Clock::time_point deadline) {
    const int fd = ::socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return {-1, errno};
    if (::connect(fd, address, length) == 0)
        return {fd, 0};
    int error = errno;
    if (error == EINPROGRESS) {
        if (!wait_on(fd, POLLOUT, deadline)) {
            error = ETIMEDOUT;
        } else {
            socklen_t size = sizeof error;
            if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size) != 0)
                error = errno;
        }
    }
    if (error == 0)
        return {fd, 0};
    ::close(fd);
    return {-1, error};
}

std::string describe_errno(int error) {
    switch (error) {
    case ECONNREFUSED:
        return "connection refused (nothing listens there)";
    case ENOENT:
        return "no such socket";
    case EACCES:
        return "permission denied";
    case ETIMEDOUT:
        return "connection timed out";
    default:
        return std::strerror(error);
    }
}

} // namespace

Result<HostPort> split_host_port(std::string_view text) {
    HostPort out;
    std::string_view port_text;
    if (!text.empty() && text.front() == '[') {
        const auto close = text.find(']');
        if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':')
            return make_error(ErrorKind::usage, "\"" + printable(text) + "\" is not [v6]:port");
        out.host = std::string(text.substr(1, close - 1));
        port_text = text.substr(close + 2);
    } else {
        const auto colon = text.rfind(':');
        if (colon == std::string_view::npos || colon == 0)
            return make_error(ErrorKind::usage, "\"" + printable(text) + "\" is not host:port");
        out.host = std::string(text.substr(0, colon));
        port_text = text.substr(colon + 1);
    }
    unsigned port = 0;
    const auto* end = port_text.data() + port_text.size();
    const auto [ptr, ec] = std::from_chars(port_text.data(), end, port);
    if (port_text.empty() || ec != std::errc() || ptr != end || port == 0 || port > 65535)
        return make_error(ErrorKind::usage,
                          "\"" + printable(text) + "\": the port must be a number from 1 to 65535");
    out.port = static_cast<std::uint16_t>(port);
    return out;
}

Result<StreamSocket> StreamSocket::connect(const std::string& where, Clock::time_point deadline) {
    if (!where.empty() && where.front() == '/') {
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        if (where.size() >= sizeof address.sun_path)
            return network_error(where, "socket path too long");
        std::memcpy(address.sun_path, where.data(), where.size());
        const auto [fd, error] = connect_to(reinterpret_cast<const sockaddr*>(&address),
                                            sizeof address, AF_UNIX, deadline);
        if (fd < 0)
            return network_error(where, describe_errno(error));
        return StreamSocket(fd, where);
    }
    auto split = split_host_port(where);
    if (!split.ok())
        return make_error(ErrorKind::network, split.error().message);
    const auto lookup =
        lookup_host(split->host, std::chrono::milliseconds(std::max(1, remaining_ms(deadline))));
    if (lookup.outcome != HostLookup::Outcome::found)
        return network_error(
            where, describe_lookup_failure(split->host, lookup, std::chrono::milliseconds(0)));
    int last_error = ETIMEDOUT;
    for (const auto& numeric : lookup.addresses) {
        addrinfo hints{};
        hints.ai_family = AF_UNSPEC;
        hints.ai_socktype = SOCK_STREAM;
        hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
        addrinfo* raw = nullptr;
        if (::getaddrinfo(numeric.c_str(), std::to_string(split->port).c_str(), &hints, &raw) !=
                0 ||
            raw == nullptr)
            continue;
        const auto [fd, error] =
            connect_to(raw->ai_addr, raw->ai_addrlen, raw->ai_family, deadline);
        freeaddrinfo(raw);
        if (fd >= 0)
            return StreamSocket(fd, where);
        last_error = error;
    }
    return network_error(where, describe_errno(last_error));
}

StreamSocket::StreamSocket(StreamSocket&& other) noexcept
    : m_fd(std::exchange(other.m_fd, -1)), m_where(std::move(other.m_where)) {}

StreamSocket& StreamSocket::operator=(StreamSocket&& other) noexcept {
    if (this != &other) {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = std::exchange(other.m_fd, -1);
        m_where = std::move(other.m_where);
    }
    return *this;
}

StreamSocket::~StreamSocket() {
    if (m_fd >= 0)
        ::close(m_fd);
}

bool StreamSocket::wait(bool for_write, Clock::time_point deadline) const {
    return wait_on(m_fd, for_write ? POLLOUT : POLLIN, deadline);
}

Result<void> StreamSocket::write_all(std::string_view bytes, Clock::time_point deadline) {
    while (!bytes.empty()) {
        // MSG_NOSIGNAL: a peer that went away is an error here, not a SIGPIPE.
        const auto sent = ::send(m_fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (sent > 0) {
            bytes.remove_prefix(static_cast<std::size_t>(sent));
            continue;
        }
        if (sent < 0 && errno == EINTR)
            continue;
        if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            if (!wait(true, deadline))
                return network_error(m_where, "timed out while sending");
            continue;
        }
        return network_error(m_where, std::string("send failed: ") + std::strerror(errno));
    }
    return {};
}

void StreamSocket::shutdown_write() {
    (void)::shutdown(m_fd, SHUT_WR);
}

Result<std::string> StreamSocket::read_to_end(std::size_t max_bytes, Clock::time_point deadline) {
    std::string data;
    char buffer[4096];
    for (;;) {
        const auto got = ::recv(m_fd, buffer, sizeof buffer, 0);
        if (got == 0)
            return data;
        if (got > 0) {
            if (data.size() + static_cast<std::size_t>(got) > max_bytes)
                return network_error(m_where,
                                     "answer longer than " + std::to_string(max_bytes) + " bytes");
            data.append(buffer, static_cast<std::size_t>(got));
            continue;
        }
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            if (!wait(false, deadline))
                return network_error(m_where, "no complete answer before the deadline");
            continue;
        }
        return network_error(m_where, std::string("receive failed: ") + std::strerror(errno));
    }
}

} // namespace wildcert::common
