#include "hostile_dns.hpp"

#include "tests/hostile_ca/peer_io.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <string_view>

namespace wildcert::hostile_dns {
namespace {

constexpr std::size_t k_header_bytes = 12;

using hostile_ca::k_poll_ms;
using hostile_ca::send_all;
using hostile_ca::wait;

// Reads exactly `size` bytes; false when the peer is gone or the server stops.
bool read_exactly(int fd, std::uint8_t* data, std::size_t size, const std::atomic<bool>& stopping) {
    while (size > 0) {
        if (stopping.load())
            return false;
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, k_poll_ms) <= 0)
            continue;
        const ssize_t got = ::recv(fd, data, size, 0);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return false;
        data += got;
        size -= static_cast<std::size_t>(got);
    }
    return true;
}

// Holds the connection open doing nothing until the peer leaves or the server stops.
void hold(int fd, const std::atomic<bool>& stopping) {
    std::uint8_t sink[512];
    while (!stopping.load()) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, k_poll_ms) <= 0)
            continue;
        const ssize_t got = ::recv(fd, sink, sizeof sink, 0);
        if (got == 0 || (got < 0 && errno != EINTR))
            return;
    }
}

// The end of the first question (QNAME, QTYPE, QCLASS) at offset 12; 0 when cut short or
// compressed (a query never is).
std::size_t question_end(const std::vector<std::uint8_t>& message) {
    std::size_t at = k_header_bytes;
    while (at < message.size()) {
        const std::uint8_t length = message[at];
        if (length == 0)
            return at + 1 + 4 <= message.size() ? at + 1 + 4 : 0;
        if (length > 63)
            return 0;
        at += 1 + length;
    }
    return 0;
}

} // namespace

std::vector<std::uint8_t> empty_reply(const std::vector<std::uint8_t>& query, bool truncated) {
    if (query.size() < k_header_bytes || query[4] != 0 || query[5] != 1)
        return {};
    const auto end = question_end(query);
    if (end == 0)
        return {};
    std::vector<std::uint8_t> reply(query.begin(), query.begin() + static_cast<long>(end));
    // Byte 2: QR, opcode (kept), AA, TC, RD (kept). Byte 3: RA 0, Z 0, RCODE NOERROR.
    reply[2] = static_cast<std::uint8_t>(0x80 | (query[2] & 0x79) | 0x04 | (truncated ? 0x02 : 0));
    reply[3] = 0;
    std::fill(reply.begin() + 6, reply.begin() + 12, std::uint8_t{0}); // AN, NS, AR counts
    return reply;
}

HostileDnsServer::~HostileDnsServer() {
    m_stopping = true;
    if (m_loop.joinable())
        m_loop.join();
    std::vector<std::thread> workers;
    {
        std::lock_guard lock(m_mutex);
        workers.swap(m_workers);
    }
    for (auto& worker : workers)
        worker.join();
    for (const int fd : {m_udp_fd, m_tcp_fd}) {
        if (fd >= 0)
            ::close(fd);
    }
}

Result<void> HostileDnsServer::start() {
    // UDP first, on a port the kernel picks; TCP on the same number (retried with another
    // port when that one is taken for TCP).
    for (int attempt = 0; attempt < 20; ++attempt) {
        if (m_udp_fd >= 0)
            ::close(m_udp_fd);
        m_udp_fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(m_options.port);
        if (::inet_pton(AF_INET, m_options.ip.c_str(), &address.sin_addr) != 1)
            return make_error(ErrorKind::network,
                              "hostile DNS: not an IPv4 address: " + m_options.ip);
        socklen_t length = sizeof address;
        if (m_udp_fd < 0 ||
            ::bind(m_udp_fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
            ::getsockname(m_udp_fd, reinterpret_cast<sockaddr*>(&address), &length) != 0)
            return make_error(ErrorKind::network, "hostile DNS: cannot bind UDP on " +
                                                      m_options.ip + " port " +
                                                      std::to_string(m_options.port));
        m_port = ntohs(address.sin_port);
        if (udp_only())
            break;
        m_tcp_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        const int on = 1;
        ::setsockopt(m_tcp_fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
        if (m_tcp_fd >= 0 &&
            ::bind(m_tcp_fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
            ::listen(m_tcp_fd, 16) == 0)
            break;
        if (m_tcp_fd >= 0)
            ::close(m_tcp_fd);
        m_tcp_fd = -1;
        if (m_options.port != 0)
            break; // a fixed port: no other to try
    }
    if (!udp_only() && m_tcp_fd < 0)
        return make_error(ErrorKind::network, "hostile DNS: no port free for both UDP and TCP");
    m_loop = std::thread([this] { serve_loop(); });
    return {};
}

bool HostileDnsServer::udp_only() const {
    return m_options.mode == DnsMode::udp_silent || m_options.mode == DnsMode::udp_wrong_id;
}

std::string HostileDnsServer::address() const {
    return m_options.ip + ":" + std::to_string(m_port);
}

void HostileDnsServer::serve_loop() {
    while (!m_stopping.load()) {
        pollfd fds[2] = {{m_udp_fd, POLLIN, 0}, {m_tcp_fd, POLLIN, 0}};
        if (::poll(fds, m_tcp_fd >= 0 ? 2 : 1, k_poll_ms) <= 0)
            continue;
        if ((fds[0].revents & POLLIN) != 0)
            answer_udp();
        if (m_tcp_fd >= 0 && (fds[1].revents & POLLIN) != 0) {
            const int fd = ::accept4(m_tcp_fd, nullptr, nullptr, SOCK_CLOEXEC);
            if (fd < 0)
                continue;
            std::lock_guard lock(m_mutex);
            m_workers.emplace_back([this, fd] {
                serve_tcp(fd);
                ::close(fd);
            });
        }
    }
}

void HostileDnsServer::answer_udp() {
    std::vector<std::uint8_t> query(65535);
    sockaddr_storage from{};
    socklen_t length = sizeof from;
    const ssize_t got = ::recvfrom(m_udp_fd, query.data(), query.size(), 0,
                                   reinterpret_cast<sockaddr*>(&from), &length);
    if (got <= 0)
        return;
    ++m_queries;
    query.resize(static_cast<std::size_t>(got));
    if (m_options.mode == DnsMode::udp_silent)
        return;
    // Every TCP mode sends the client to TCP, where the mode's behaviour is.
    auto reply = empty_reply(query, m_options.mode != DnsMode::udp_wrong_id);
    if (m_options.mode == DnsMode::udp_wrong_id && !reply.empty())
        reply[1] = static_cast<std::uint8_t>(reply[1] ^ 0x01);
    if (!reply.empty())
        ::sendto(m_udp_fd, reply.data(), reply.size(), 0, reinterpret_cast<sockaddr*>(&from),
                 length);
}

void HostileDnsServer::serve_tcp(int fd) {
    const auto& stopping = m_stopping;
    if (m_options.mode == DnsMode::tcp_not_dns) {
        // What a web server on the port would say to bytes that are not HTTP.
        static constexpr std::string_view banner =
            "HTTP/1.1 400 Bad Request\r\nContent-Type: text/html\r\nConnection: keep-alive\r\n\r\n";
        if (send_all(fd, banner, stopping))
            hold(fd, stopping);
        return;
    }
    std::uint8_t prefix[2];
    if (!read_exactly(fd, prefix, 2, stopping))
        return;
    std::vector<std::uint8_t> query(static_cast<std::size_t>((prefix[0] << 8) | prefix[1]));
    if (!read_exactly(fd, query.data(), query.size(), stopping))
        return;
    ++m_queries;
    if (m_options.mode == DnsMode::tcp_silent) {
        hold(fd, stopping);
        return;
    }
    const auto reply = empty_reply(query, false);
    std::vector<std::uint8_t> framed{static_cast<std::uint8_t>(reply.size() >> 8),
                                     static_cast<std::uint8_t>(reply.size() & 0xff)};
    framed.insert(framed.end(), reply.begin(), reply.end());
    for (const std::uint8_t byte : framed) {
        const char one = static_cast<char>(byte);
        if (!wait(m_options.pace, stopping) || !send_all(fd, std::string_view(&one, 1), stopping))
            return;
    }
    hold(fd, stopping);
}

} // namespace wildcert::hostile_dns
