#include "dns/exchange.hpp"

#include "common/printable.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

namespace wildcert::dns::detail {
namespace {

using Clock = std::chrono::steady_clock;

// RFC 1035 §4.1.1: id (2 bytes), flags (QR is the top bit of the third byte), four counts.
constexpr std::size_t k_header_bytes = 12;
// How much of a reply that is not DNS a message quotes.
constexpr std::size_t k_quoted_bytes = 32;

class Socket {
public:
    explicit Socket(int fd) : m_fd(fd) {}
    Socket(Socket&& other) noexcept : m_fd(other.m_fd) { other.m_fd = -1; }
    Socket(const Socket&) = delete;
    Socket& operator=(const Socket&) = delete;
    Socket& operator=(Socket&&) = delete;
    ~Socket() {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    [[nodiscard]] int fd() const { return m_fd; }

private:
    int m_fd;
};

struct Address {
    sockaddr_storage storage{};
    socklen_t length = 0;
};

Result<Address> socket_address(const ServerAddress& server) {
    Address address;
    auto* v4 = reinterpret_cast<sockaddr_in*>(&address.storage);
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&address.storage);
    if (::inet_pton(AF_INET, server.ip.c_str(), &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(server.port);
        address.length = sizeof(sockaddr_in);
    } else if (::inet_pton(AF_INET6, server.ip.c_str(), &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(server.port);
        address.length = sizeof(sockaddr_in6);
    } else {
        return make_error(ErrorKind::dns, "not an IP address");
    }
    return address;
}

Error failure(const std::string& text) {
    return make_error(ErrorKind::dns, text);
}

// What a failed connect, send or receive says, in words that tell the cases apart.
std::string describe_errno(int error, Transport transport) {
    switch (error) {
    case ECONNREFUSED:
        return transport == Transport::tcp ? "TCP connection refused"
                                           : "UDP port closed (ICMP port unreachable)";
    case ENETUNREACH:
        return "network unreachable";
    case EHOSTUNREACH:
        return "host unreachable";
    case ECONNRESET:
        return "the connection was reset";
    default:
        return std::string(transport == Transport::tcp ? "TCP" : "UDP") +
               " error: " + std::strerror(error);
    }
}

// Waits until `fd` is ready for `events` or the deadline passes: >0 ready, 0 deadline.
// A signal does not end the wait early; the deadline still holds.
int wait_for(int fd, short events, Clock::time_point deadline) {
    for (;;) {
        const auto left = deadline - Clock::now();
        if (left <= Clock::duration::zero())
            return 0;
        // Rounded up, so that the wait never ends just short of the deadline.
        const auto ms = std::chrono::ceil<std::chrono::milliseconds>(left).count();
        pollfd p{fd, events, 0};
        const int ready = ::poll(&p, 1, static_cast<int>(std::min<long long>(ms, 60'000)));
        if (ready > 0)
            return ready;
        if (ready < 0 && errno != EINTR)
            return ready;
    }
}

std::uint16_t id_of(std::span<const std::uint8_t> message) {
    return static_cast<std::uint16_t>((message[0] << 8) | message[1]);
}

std::string quoted_start(std::span<const std::uint8_t> bytes) {
    const auto shown = std::min(bytes.size(), k_quoted_bytes);
    return "\"" +
           common::printable(std::string_view(reinterpret_cast<const char*>(bytes.data()), shown)) +
           "\"" + (bytes.size() > shown ? "..." : "");
}

// Whether the first bytes of a TCP stream can still be the reply to `query_id`: a length
// of at least one header, the same id, the QR bit. Decided as soon as the bytes are there,
// so a service that is not DNS fails at once instead of at the deadline.
bool can_be_reply(std::span<const std::uint8_t> stream, std::uint16_t query_id) {
    if (stream.size() >= 2 && ((stream[0] << 8) | stream[1]) < static_cast<int>(k_header_bytes))
        return false;
    if (stream.size() >= 4 && ((stream[2] << 8) | stream[3]) != query_id)
        return false;
    if (stream.size() >= 5 && (stream[4] & 0x80) == 0)
        return false;
    return true;
}

Result<Socket> open_socket(const Address& address, Transport transport) {
    const int type =
        (transport == Transport::tcp ? SOCK_STREAM : SOCK_DGRAM) | SOCK_NONBLOCK | SOCK_CLOEXEC;
    Socket socket(::socket(address.storage.ss_family, type, 0));
    if (socket.fd() < 0)
        return failure(std::string("cannot open a socket: ") + std::strerror(errno));
    return socket;
}

// connect(2) on a non-blocking socket, finished within the deadline. For UDP it only fixes
// the peer, so that ICMP errors come back as ECONNREFUSED and other senders are filtered.
Result<void> connect_within(const Socket& socket, const Address& address, Transport transport,
                            const Deadline& deadline) {
    if (::connect(socket.fd(), reinterpret_cast<const sockaddr*>(&address.storage),
                  address.length) == 0)
        return {};
    if (errno != EINPROGRESS && errno != EINTR)
        return failure(describe_errno(errno, transport));
    const int ready = wait_for(socket.fd(), POLLOUT, deadline.at);
    if (ready == 0)
        return failure("no TCP connection within " + describe_seconds(deadline.budget));
    int error = 0;
    socklen_t length = sizeof error;
    if (ready < 0 || ::getsockopt(socket.fd(), SOL_SOCKET, SO_ERROR, &error, &length) != 0)
        return failure(describe_errno(errno, transport));
    if (error != 0)
        return failure(describe_errno(error, transport));
    return {};
}

Result<void> send_within(const Socket& socket, std::span<const std::uint8_t> bytes,
                         Transport transport, const Deadline& deadline) {
    while (!bytes.empty()) {
        const ssize_t sent = ::send(socket.fd(), bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (sent >= 0) {
            bytes = bytes.subspan(static_cast<std::size_t>(sent));
            continue;
        }
        if (errno == EINTR)
            continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK)
            return failure(describe_errno(errno, transport));
        const int ready = wait_for(socket.fd(), POLLOUT, deadline.at);
        if (ready == 0)
            return failure("the query could not be sent within " +
                           describe_seconds(deadline.budget));
        if (ready < 0)
            return failure(describe_errno(errno, transport));
    }
    return {};
}

Result<std::vector<std::uint8_t>> exchange_udp(const Socket& socket,
                                               std::span<const std::uint8_t> message,
                                               const Deadline& deadline) {
    WILDCERT_CHECK(send_within(socket, message, Transport::udp, deadline));
    const auto id = id_of(message);
    std::vector<std::uint8_t> datagram(65535);
    std::size_t ignored = 0;
    for (;;) {
        const int ready = wait_for(socket.fd(), POLLIN, deadline.at);
        if (ready == 0) {
            std::string text = "no answer within " + describe_seconds(deadline.budget);
            if (ignored > 0)
                text += " (ignored " + std::to_string(ignored) + " datagram" +
                        (ignored == 1 ? "" : "s") + " that did not answer the query)";
            return failure(text);
        }
        const ssize_t got = ::recv(socket.fd(), datagram.data(), datagram.size(), 0);
        if (got < 0) {
            if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
                continue;
            return failure(describe_errno(errno, Transport::udp));
        }
        const auto size = static_cast<std::size_t>(got);
        // A datagram that is not the reply (another id, a query, a fragment) is not the
        // server's answer: it may be spoofed or late, so it is skipped, not believed.
        if (size < k_header_bytes || id_of(datagram) != id || (datagram[2] & 0x80) == 0) {
            ++ignored;
            continue;
        }
        datagram.resize(size);
        return datagram;
    }
}

Result<std::vector<std::uint8_t>> exchange_tcp(const Socket& socket,
                                               std::span<const std::uint8_t> message,
                                               const Deadline& deadline) {
    if (message.size() > 65535)
        return failure("the message is larger than 65535 bytes");
    std::vector<std::uint8_t> framed;
    framed.reserve(message.size() + 2);
    framed.push_back(static_cast<std::uint8_t>(message.size() >> 8));
    framed.push_back(static_cast<std::uint8_t>(message.size() & 0xff));
    framed.insert(framed.end(), message.begin(), message.end());
    WILDCERT_CHECK(send_within(socket, framed, Transport::tcp, deadline));

    const auto id = id_of(message);
    std::vector<std::uint8_t> stream;
    std::size_t expected = 2; // the length prefix, then the whole message
    std::uint8_t buffer[4096];
    while (stream.size() < expected) {
        const int ready = wait_for(socket.fd(), POLLIN, deadline.at);
        if (ready == 0) {
            if (stream.empty())
                return failure("no answer within " + describe_seconds(deadline.budget));
            const auto got = std::to_string(stream.size());
            return failure("no complete answer within " + describe_seconds(deadline.budget) + " (" +
                           (expected > 2 ? got + " of " + std::to_string(expected) + " bytes"
                                         : got + (stream.size() == 1 ? " byte" : " bytes")) +
                           " arrived)");
        }
        // Never more than the message still needs: what follows it is not ours to read.
        const std::size_t want = std::min(sizeof buffer, expected - stream.size());
        const ssize_t got = ::recv(socket.fd(), buffer, want, 0);
        if (got < 0) {
            if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
                continue;
            return failure(describe_errno(errno, Transport::tcp) + " after " +
                           std::to_string(stream.size()) + " bytes of the answer");
        }
        if (got == 0) {
            if (stream.empty())
                return failure("the server closed the connection without answering");
            return failure("the server closed the connection after " +
                           std::to_string(stream.size()) + " of " + std::to_string(expected) +
                           " bytes of the answer");
        }
        stream.insert(stream.end(), buffer, buffer + got);
        if (!can_be_reply(stream, id))
            return failure("not a DNS reply (it starts with " + quoted_start(stream) + ")");
        if (expected == 2 && stream.size() >= 2)
            expected = 2 + static_cast<std::size_t>((stream[0] << 8) | stream[1]);
    }
    return std::vector<std::uint8_t>(stream.begin() + 2, stream.end());
}

} // namespace

std::string describe_seconds(std::chrono::milliseconds timeout) {
    const auto ms = timeout.count();
    if (ms % 1000 == 0)
        return std::to_string(ms / 1000) + "s";
    char text[32];
    std::snprintf(text, sizeof text, "%.1fs", static_cast<double>(ms) / 1000.0);
    return text;
}

Deadline Deadline::after(std::chrono::milliseconds timeout) {
    const auto budget = std::max(timeout, std::chrono::milliseconds(1));
    return Deadline{Clock::now() + budget, budget};
}

Result<std::vector<std::uint8_t>> exchange(const ServerAddress& server,
                                           std::span<const std::uint8_t> message,
                                           Transport transport, Deadline deadline) {
    if (message.size() < k_header_bytes)
        return failure("the query is shorter than a DNS header");
    WILDCERT_TRY(const auto address, socket_address(server));
    WILDCERT_TRY(const auto socket, open_socket(address, transport));
    WILDCERT_CHECK(connect_within(socket, address, transport, deadline));
    if (transport == Transport::udp)
        return exchange_udp(socket, message, deadline);
    return exchange_tcp(socket, message, deadline);
}

} // namespace wildcert::dns::detail
