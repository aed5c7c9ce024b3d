#include "soa_responder.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <vector>

namespace wildcert::mock_acme {
namespace {

constexpr std::size_t k_header = 12;

// The end of the question section (name, type, class) or 0 when malformed.
std::size_t question_end(const std::vector<std::uint8_t>& query) {
    std::size_t pos = k_header;
    while (pos < query.size() && query[pos] != 0) {
        if ((query[pos] & 0xC0U) != 0)
            return 0; // no compression in a question we accept
        pos += 1U + query[pos];
    }
    pos += 1 + 4;
    return pos <= query.size() ? pos : 0;
}

void put16(std::vector<std::uint8_t>& out, unsigned value) {
    out.push_back(static_cast<std::uint8_t>(value >> 8));
    out.push_back(static_cast<std::uint8_t>(value & 0xFF));
}

void put32(std::vector<std::uint8_t>& out, std::uint32_t value) {
    put16(out, value >> 16);
    put16(out, value & 0xFFFF);
}

std::vector<std::uint8_t> answer(const std::vector<std::uint8_t>& query, std::size_t end) {
    std::vector<std::uint8_t> out(query.begin(), query.begin() + static_cast<long>(end));
    out[2] = static_cast<std::uint8_t>(0x84U | (query[2] & 0x01U)); // QR, AA, RD copied
    out[3] = 0;                                                     // NOERROR
    out[4] = 0, out[5] = 1;                                         // QDCOUNT
    out[6] = 0, out[7] = 1;                                         // ANCOUNT
    out[8] = out[9] = out[10] = out[11] = 0;
    put16(out, 0xC00C); // owner: the question's name
    put16(out, 6);      // SOA
    put16(out, 1);      // IN
    put32(out, 60);
    put16(out, 22);   // RDLENGTH: two root names and five 32-bit numbers
    out.push_back(0); // MNAME "."
    out.push_back(0); // RNAME "."
    for (int i = 0; i < 5; ++i)
        put32(out, 60);
    return out;
}

} // namespace

SoaResponder::~SoaResponder() {
    m_stop = true;
    if (m_thread.joinable())
        m_thread.join();
    if (m_fd >= 0)
        ::close(m_fd);
}

Result<void> SoaResponder::start() {
    m_fd = ::socket(AF_INET, SOCK_DGRAM, 0);
    if (m_fd < 0)
        return make_error(ErrorKind::io, "SOA responder: socket");
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(m_fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
        return make_error(ErrorKind::io, "SOA responder: bind");
    socklen_t length = sizeof address;
    ::getsockname(m_fd, reinterpret_cast<sockaddr*>(&address), &length);
    m_port = ntohs(address.sin_port);
    m_thread = std::thread([this] { serve(); });
    return {};
}

std::string SoaResponder::address() const {
    return "127.0.0.1:" + std::to_string(m_port);
}

void SoaResponder::serve() {
    std::vector<std::uint8_t> buffer(1500);
    while (!m_stop) {
        pollfd fd{m_fd, POLLIN, 0};
        if (::poll(&fd, 1, 50) <= 0)
            continue;
        sockaddr_in peer{};
        socklen_t length = sizeof peer;
        const auto got = ::recvfrom(m_fd, buffer.data(), buffer.size(), 0,
                                    reinterpret_cast<sockaddr*>(&peer), &length);
        if (got < static_cast<long>(k_header))
            continue;
        const std::vector<std::uint8_t> query(buffer.begin(), buffer.begin() + got);
        const auto end = question_end(query);
        if (end == 0)
            continue;
        const auto reply = answer(query, end);
        ::sendto(m_fd, reply.data(), reply.size(), 0, reinterpret_cast<sockaddr*>(&peer), length);
    }
}

} // namespace wildcert::mock_acme
