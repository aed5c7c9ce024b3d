#include "peer_io.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <thread>

namespace wildcert::hostile_ca {

bool send_all(int fd, std::string_view data, const std::atomic<bool>& stopping) {
    while (!data.empty()) {
        if (stopping.load())
            return false;
        pollfd p{fd, POLLOUT, 0};
        if (::poll(&p, 1, k_poll_ms) <= 0)
            continue;
        const ssize_t sent = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
        if (sent < 0 && errno == EINTR)
            continue;
        if (sent <= 0)
            return false;
        data.remove_prefix(static_cast<std::size_t>(sent));
    }
    return true;
}

bool wait(std::chrono::milliseconds pace, const std::atomic<bool>& stopping) {
    using Clock = std::chrono::steady_clock;
    const auto until = Clock::now() + pace;
    for (auto now = Clock::now(); now < until; now = Clock::now()) {
        if (stopping.load())
            return false;
        std::this_thread::sleep_for(
            std::min<Clock::duration>(std::chrono::milliseconds(k_poll_ms), until - now));
    }
    return true;
}

bool write_file_whole(const std::filesystem::path& file, const std::string& text) {
    const auto temporary = file.string() + ".tmp";
    {
        std::ofstream out(temporary);
        out << text << "\n";
        if (!out)
            return false;
    }
    std::error_code ec;
    std::filesystem::rename(temporary, file, ec);
    return !ec;
}

} // namespace wildcert::hostile_ca
