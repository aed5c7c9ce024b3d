// hostile_dns MODE ADDRESS_FILE: a DNS server that does not answer properly, for
// tests/e2e/hostile_dns_test.sh. Listens on UDP and TCP on one port of 127.0.0.1, writes
// "127.0.0.1:<port>" to ADDRESS_FILE once it listens, and serves until SIGTERM or SIGINT.
//
// Modes (hostile_dns.hpp); in the first three, UDP queries get a truncated reply, so that a
// client asks again over TCP:
//   silent      TCP: accepts and reads the query, never answers
//   trickle     TCP: a valid reply, one byte per second
//   not-dns     TCP: an HTTP "400 Bad Request" status line and headers, then nothing
//   udp-silent  UDP: never answers; nothing listens on TCP
//   udp-wrong-id  UDP: answers with another id (spoofed); nothing listens on TCP
#include "tests/hostile_ca/peer_io.hpp"
#include "tests/hostile_dns/hostile_dns.hpp"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>

using namespace wildcert;

int main(int argc, char** argv) {
    if (argc != 3 && argc != 4) {
        std::fputs("usage: hostile_dns MODE ADDRESS_FILE [IPV4:PORT]\n", stderr);
        return 2;
    }
    static const std::map<std::string, hostile_dns::DnsMode> modes{
        {"silent", hostile_dns::DnsMode::tcp_silent},
        {"trickle", hostile_dns::DnsMode::tcp_trickle},
        {"not-dns", hostile_dns::DnsMode::tcp_not_dns},
        {"udp-silent", hostile_dns::DnsMode::udp_silent},
        {"udp-wrong-id", hostile_dns::DnsMode::udp_wrong_id},
    };
    const auto mode = modes.find(argv[1]);
    if (mode == modes.end()) {
        std::fprintf(stderr, "hostile_dns: unknown mode %s\n", argv[1]);
        return 2;
    }
    // Blocked before any thread starts, so that every thread leaves them to sigwait.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    hostile_dns::DnsOptions options{.mode = mode->second, .pace = std::chrono::seconds(1)};
    if (argc == 4) {
        const std::string where = argv[3];
        const auto colon = where.rfind(':');
        const int port = colon == std::string::npos ? -1 : std::atoi(where.c_str() + colon + 1);
        if (port <= 0 || port > 65535) {
            std::fprintf(stderr, "hostile_dns: not IPV4:PORT: %s\n", argv[3]);
            return 2;
        }
        options.ip = where.substr(0, colon);
        options.port = static_cast<std::uint16_t>(port);
    }
    hostile_dns::HostileDnsServer server(options);
    if (const auto started = server.start(); !started.ok()) {
        std::fprintf(stderr, "hostile_dns: %s\n", started.error().message.c_str());
        return 1;
    }
    if (!hostile_ca::write_file_whole(argv[2], server.address())) {
        std::fprintf(stderr, "hostile_dns: cannot write %s\n", argv[2]);
        return 1;
    }
    int received = 0;
    sigwait(&signals, &received);
    return 0;
}
