#pragma once
// One DNS message to one server and the reply to it, on our own sockets, within one total
// deadline. ldns's own sending waits its timeout afresh for every read, so a server that
// trickles a reply one byte a second, or accepts a TCP connection and never answers, held a
// run far past the configured timeout; and it cannot say why it failed, which made a service
// that is not DNS look like "connection refused". Here every step (connect, write, each read)
// waits only until the deadline, and each failure says what happened. The bytes are built and
// parsed by the callers (with ldns); this file knows only the RFC 1035 header.

#include "dns/server_address.hpp"

#include <wildcert/result.hpp>

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace wildcert::dns::detail {

enum class Transport {
    udp, // one datagram; replies that do not answer it are ignored (RFC 5452 §9.1)
    tcp, // RFC 1035 §4.2.2: two-byte length, then the message (RFC 7766)
};

struct Deadline {
    std::chrono::steady_clock::time_point at;
    // What the deadline stands for in messages ("no answer within 2s"): the timeout the
    // caller started it with, which may have begun before this exchange.
    std::chrono::milliseconds budget;

    [[nodiscard]] static Deadline after(std::chrono::milliseconds timeout);
};

// Sends `message` (a DNS message whose first two bytes are its id) to `server` and returns the
// bytes of the first reply with the same id and the QR bit set, all before `deadline`. Errors
// (ErrorKind::dns, text without the server's name, which callers add): "TCP connection
// refused", "UDP port closed (ICMP port unreachable)", "network unreachable", "no answer
// within 2s", "no complete answer within 2s (17 of 63 bytes arrived)", "not a DNS reply (it
// starts with \"HTTP/1.1 400\")", "the server closed the connection without answering".
[[nodiscard]] Result<std::vector<std::uint8_t>> exchange(const ServerAddress& server,
                                                         std::span<const std::uint8_t> message,
                                                         Transport transport, Deadline deadline);

// "10s", "1.5s".
[[nodiscard]] std::string describe_seconds(std::chrono::milliseconds timeout);

} // namespace wildcert::dns::detail
