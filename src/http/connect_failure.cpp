#include "http/connect_failure.hpp"

#include "common/printable.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

namespace wildcert::http {
namespace {

struct AddrinfoDeleter {
    void operator()(addrinfo* info) const { freeaddrinfo(info); }
};

// The errno of one non-blocking connect to `info`, waiting at most `limit`; 0 when it
// connected, ETIMEDOUT when it did not finish in time.
int try_connect(const addrinfo& info, std::chrono::milliseconds limit) {
    const int fd =
        ::socket(info.ai_family, info.ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, info.ai_protocol);
    if (fd < 0)
        return errno;
    int error = 0;
    if (::connect(fd, info.ai_addr, info.ai_addrlen) != 0) {
        error = errno;
        if (error == EINPROGRESS) {
            pollfd p{fd, POLLOUT, 0};
            if (::poll(&p, 1, static_cast<int>(limit.count())) <= 0) {
                error = ETIMEDOUT;
            } else {
                socklen_t length = sizeof error;
                if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0)
                    error = errno;
            }
        }
    }
    ::close(fd);
    return error;
}

} // namespace

std::string diagnose_connect(const std::string& address, std::uint16_t port,
                             std::chrono::milliseconds limit) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV; // an address: no lookup
    addrinfo* raw = nullptr;
    const int status = ::getaddrinfo(address.c_str(), std::to_string(port).c_str(), &hints, &raw);
    const std::unique_ptr<addrinfo, AddrinfoDeleter> list(raw);
    const std::string where = common::printable(address) + " port " + std::to_string(port);
    if (status != 0 || !list)
        return "cannot connect to " + where;
    switch (const int error = try_connect(*list, limit)) {
    case 0:
        return "cannot connect to " + where + " (it accepts connections now)";
    case ECONNREFUSED:
        return "connection refused (nothing listens on " + where + ")";
    case ENETUNREACH:
        return "network unreachable (" + where + ")";
    case EHOSTUNREACH:
        return "host unreachable (" + where + ")";
    case ETIMEDOUT:
        return "connection to " + where + " timed out";
    default:
        return "cannot connect to " + where + ": " + std::strerror(error);
    }
}

} // namespace wildcert::http
