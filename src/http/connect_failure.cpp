#include "http/connect_failure.hpp"

#include "common/printable.hpp"

#include <arpa/inet.h>
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

std::string numeric_host(const addrinfo& info) {
    char text[INET6_ADDRSTRLEN] = {};
    const void* address = nullptr;
    if (info.ai_family == AF_INET)
        address = &reinterpret_cast<const sockaddr_in*>(info.ai_addr)->sin_addr;
    else if (info.ai_family == AF_INET6)
        address = &reinterpret_cast<const sockaddr_in6*>(info.ai_addr)->sin6_addr;
    if (address == nullptr || inet_ntop(info.ai_family, address, text, sizeof text) == nullptr)
        return "?";
    return text;
}

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

ConnectDiagnosis diagnose_connect(const std::string& host, std::uint16_t port,
                                  std::chrono::milliseconds limit) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* raw = nullptr;
    const int status = ::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &raw);
    const std::unique_ptr<addrinfo, AddrinfoDeleter> list(raw);
    if (status != 0 || !list) {
        const bool permanent = status == EAI_NONAME
#ifdef EAI_NODATA
                               || status == EAI_NODATA
#endif
            ;
        return {"cannot resolve host name \"" + common::printable(host) +
                    "\": " + (status != 0 ? gai_strerror(status) : "no address"),
                permanent};
    }
    // The first address, as httplib tries it first.
    const addrinfo& first = *list;
    const std::string where = numeric_host(first) + " port " + std::to_string(port);
    switch (const int error = try_connect(first, limit)) {
    case 0:
        return {"cannot connect to " + where + " (it accepts connections now)", false};
    case ECONNREFUSED:
        return {"connection refused (nothing listens on " + where + ")", false};
    case ENETUNREACH:
        return {"network unreachable (" + where + ")", false};
    case EHOSTUNREACH:
        return {"host unreachable (" + where + ")", false};
    case ETIMEDOUT:
        return {"connection to " + where + " timed out", false};
    default:
        return {"cannot connect to " + where + ": " + std::strerror(error), false};
    }
}

} // namespace wildcert::http
