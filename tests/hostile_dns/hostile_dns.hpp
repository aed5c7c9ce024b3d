#pragma once
// A DNS server on loopback (UDP and TCP on one port) that answers the way a broken or hostile
// server would: it accepts a TCP connection and never answers, trickles a valid reply one byte
// at a time, answers TCP with bytes that are not DNS, or ignores UDP. Written on plain sockets
// with the wire format done by hand (RFC 1035 §4): the point is bytes no DNS library would
// send. Used in-process by the unit tests and by the hostile_dns program for the e2e test.

#include <wildcert/result.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace wildcert::hostile_dns {

enum class DnsMode {
    // UDP: a truncated reply (TC), so that a client asks again over TCP. TCP as named:
    tcp_silent,   // reads the query, never answers, keeps the connection open
    tcp_trickle,  // a valid reply (question echoed, NOERROR, AA), one byte per `pace`
    tcp_not_dns,  // an HTTP status line and headers at once, then nothing, connection open
    udp_silent,   // UDP: reads every query and never answers; no TCP listener (refused)
    udp_wrong_id, // UDP: a reply with another id (a spoofing attempt); no TCP listener
};

struct DnsOptions {
    DnsMode mode = DnsMode::tcp_silent;
    std::chrono::milliseconds pace{1000};
    // Where to listen: an IPv4 loopback address and a port (0: one the kernel picks). A fixed
    // port 53 stands in for a resolver named in resolv.conf, which takes no port.
    std::string ip = "127.0.0.1";
    std::uint16_t port = 0;
};

class HostileDnsServer {
public:
    explicit HostileDnsServer(DnsOptions options) : m_options(options) {}
    HostileDnsServer(const HostileDnsServer&) = delete;
    HostileDnsServer& operator=(const HostileDnsServer&) = delete;
    ~HostileDnsServer();

    [[nodiscard]] Result<void> start();
    [[nodiscard]] int port() const { return m_port; }
    // "<ip>:<port>"
    [[nodiscard]] std::string address() const;
    // Queries received so far, UDP and TCP.
    [[nodiscard]] int queries() const { return m_queries.load(); }

private:
    void serve_loop();
    void answer_udp();
    void serve_tcp(int fd);
    [[nodiscard]] bool udp_only() const;

    DnsOptions m_options;
    int m_udp_fd = -1;
    int m_tcp_fd = -1; // -1 in the UDP modes
    int m_port = 0;
    std::atomic<bool> m_stopping{false};
    std::atomic<int> m_queries{0};
    std::thread m_loop;
    std::mutex m_mutex;
    std::vector<std::thread> m_workers;
};

// The reply to `query` that a correct server would send with no records: header copied with
// QR and AA set, NOERROR, the question (or an UPDATE's zone) echoed, every other count 0;
// TC set when `truncated`. Empty when `query` is not a DNS message with one question.
[[nodiscard]] std::vector<std::uint8_t> empty_reply(const std::vector<std::uint8_t>& query,
                                                    bool truncated);

} // namespace wildcert::hostile_dns
