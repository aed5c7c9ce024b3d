#include "http/socket_bytes.hpp"

#include <linux/sockios.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <cstddef>

namespace wildcert::http {

std::optional<std::uint64_t> bytes_read_from(int fd) {
    tcp_info info{};
    socklen_t length = sizeof info;
    if (::getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &length) != 0 ||
        length < offsetof(tcp_info, tcpi_bytes_received) + sizeof info.tcpi_bytes_received)
        return std::nullopt;
    int waiting = 0;
    if (::ioctl(fd, SIOCINQ, &waiting) != 0 || waiting < 0)
        return std::nullopt;
    const auto queued = static_cast<std::uint64_t>(waiting);
    return info.tcpi_bytes_received > queued ? info.tcpi_bytes_received - queued : 0;
}

} // namespace wildcert::http
