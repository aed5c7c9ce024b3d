#pragma once
// How many bytes the application has read from a TCP socket so far, asked of the kernel. The
// HTTP client bounds the response headers with it: httplib reads a header line, and the list
// of header lines, without any limit, so a server that sends headers without end would grow
// the client's memory until the deadline. Apart from http_client.cpp because <linux/tcp.h>,
// which has the counter, cannot be included together with httplib's <netinet/tcp.h>.

#include <cstdint>
#include <optional>

namespace wildcert::http {

// The bytes received on `fd` (TCP_INFO's tcpi_bytes_received, Linux 4.1+) minus those still
// waiting in its receive queue (SIOCINQ): what reads have taken. Includes TLS records and
// handshakes. nullopt when the kernel does not tell.
[[nodiscard]] std::optional<std::uint64_t> bytes_read_from(int fd);

} // namespace wildcert::http
