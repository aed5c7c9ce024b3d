#include "hostile_http.hpp"

#include "peer_io.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <string_view>

namespace wildcert::hostile_ca {
namespace {

// Reads the request head (up to the blank line, 64 KiB at most); the body, if any, is never
// read: every answer ends the exchange.
bool read_request_head(int fd, const std::atomic<bool>& stopping) {
    std::string head;
    char buffer[4096];
    while (head.find("\r\n\r\n") == std::string::npos && head.size() < 65536) {
        if (stopping.load())
            return false;
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, k_poll_ms) <= 0)
            continue;
        const ssize_t got = ::recv(fd, buffer, sizeof buffer, 0);
        if (got <= 0)
            return false;
        head.append(buffer, static_cast<std::size_t>(got));
    }
    return true;
}

} // namespace

HostileHttpServer::~HostileHttpServer() {
    m_stopping = true;
    if (m_acceptor.joinable())
        m_acceptor.join();
    std::vector<std::thread> workers;
    {
        std::lock_guard lock(m_mutex);
        workers.swap(m_workers);
    }
    for (auto& worker : workers)
        worker.join();
    if (m_listen_fd >= 0)
        ::close(m_listen_fd);
}

Result<void> HostileHttpServer::start() {
    m_listen_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (m_listen_fd < 0)
        return make_error(ErrorKind::network, "hostile server: socket() failed");
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t length = sizeof address;
    if (::bind(m_listen_fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(m_listen_fd, 16) != 0 ||
        ::getsockname(m_listen_fd, reinterpret_cast<sockaddr*>(&address), &length) != 0)
        return make_error(ErrorKind::network, "hostile server: cannot listen on 127.0.0.1");
    m_port = ntohs(address.sin_port);
    m_acceptor = std::thread([this] { accept_loop(); });
    return {};
}

std::string HostileHttpServer::directory_url() const {
    return "http://127.0.0.1:" + std::to_string(m_port) + "/dir";
}

void HostileHttpServer::accept_loop() {
    while (!m_stopping.load()) {
        pollfd p{m_listen_fd, POLLIN, 0};
        if (::poll(&p, 1, k_poll_ms) <= 0)
            continue;
        const int fd = ::accept4(m_listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0)
            continue;
        ++m_connections;
        std::lock_guard lock(m_mutex);
        m_workers.emplace_back([this, fd] {
            serve(fd);
            ::close(fd);
        });
    }
}

void HostileHttpServer::serve(int fd) {
    const auto& stopping = m_stopping;
    if (!read_request_head(fd, stopping))
        return;
    std::uint64_t sent = 0;
    const auto budget_left = [&](std::size_t next) {
        sent += next;
        return m_options.max_bytes == 0 || sent <= m_options.max_bytes;
    };
    const std::string filler(64 * 1024, ' ');
    switch (m_options.mode) {
    case HostileMode::huge_length: {
        if (!send_all(fd,
                      "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                      "Content-Length: 4294967296\r\n\r\n",
                      stopping))
            return;
        while (budget_left(filler.size()) && send_all(fd, filler, stopping)) {
        }
        return;
    }
    case HostileMode::endless_chunked: {
        if (!send_all(fd,
                      "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                      "Transfer-Encoding: chunked\r\n\r\n",
                      stopping))
            return;
        const std::string chunk = "10000\r\n" + filler + "\r\n";
        while (budget_left(chunk.size()) && send_all(fd, chunk, stopping)) {
        }
        return;
    }
    case HostileMode::trickle_headers: {
        if (!send_all(fd, "HTTP/1.1 200 OK\r\nX-Slow: ", stopping))
            return;
        while (budget_left(1) && wait(m_options.pace, stopping) && send_all(fd, "a", stopping)) {
        }
        return;
    }
    case HostileMode::header_lines: {
        if (!send_all(fd, "HTTP/1.1 200 OK\r\n", stopping))
            return;
        std::string lines;
        for (int i = 0; i < 4096; ++i)
            lines += "X-Flood-" + std::to_string(i) + ": flood\r\n";
        while (budget_left(lines.size()) && send_all(fd, lines, stopping)) {
        }
        return;
    }
    case HostileMode::header_line: {
        if (!send_all(fd, "HTTP/1.1 200 OK\r\nX-Flood: ", stopping))
            return;
        const std::string letters(64 * 1024, 'a');
        while (budget_left(letters.size()) && send_all(fd, letters, stopping)) {
        }
        return;
    }
    case HostileMode::not_found:
    case HostileMode::html_page: {
        const std::string page = "<!DOCTYPE html>\n<html><head><title>Welcome</title></head>"
                                 "<body><h1>It works</h1></body></html>\n";
        const std::string status = m_options.mode == HostileMode::not_found
                                       ? "HTTP/1.1 404 Not Found\r\n"
                                       : "HTTP/1.1 200 OK\r\n";
        send_all(fd,
                 status + "Content-Type: text/html; charset=utf-8\r\nContent-Length: " +
                     std::to_string(page.size()) + "\r\nConnection: close\r\n\r\n" + page,
                 stopping);
        return;
    }
    case HostileMode::large_body: {
        if (!send_all(fd,
                      "HTTP/1.1 200 OK\r\nContent-Type: application/pem-certificate-chain\r\n"
                      "Content-Length: " +
                          std::to_string(m_options.max_bytes) + "\r\n\r\n",
                      stopping))
            return;
        for (std::uint64_t left = m_options.max_bytes; left > 0;) {
            const auto part = std::min<std::uint64_t>(left, filler.size());
            if (!send_all(fd, std::string_view(filler).substr(0, part), stopping) ||
                !wait(m_options.pace, stopping))
                return;
            left -= part;
        }
        return;
    }
    case HostileMode::trickle_body: {
        if (!send_all(fd,
                      "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                      "Content-Length: 100000\r\n\r\n",
                      stopping))
            return;
        while (budget_left(1) && wait(m_options.pace, stopping) && send_all(fd, " ", stopping)) {
        }
        return;
    }
    }
}

} // namespace wildcert::hostile_ca
