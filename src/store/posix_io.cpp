#include "store/posix_io.hpp"

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <fcntl.h>
#include <random>
#include <system_error>
#include <unistd.h>

namespace wildcert::store {

FileDescriptor& FileDescriptor::operator=(FileDescriptor&& other) noexcept {
    if (this != &other) {
        if (m_fd >= 0) {
            ::close(m_fd);
        }
        m_fd = other.m_fd;
        other.m_fd = -1;
    }
    return *this;
}

FileDescriptor::~FileDescriptor() {
    if (m_fd >= 0) {
        ::close(m_fd);
    }
}

Result<void> FileDescriptor::close(const std::filesystem::path& path) {
    const int fd = m_fd;
    m_fd = -1;
    // No retry on EINTR: on Linux the descriptor is released even then.
    if (fd >= 0 && ::close(fd) != 0) {
        return io_error("close", path, errno);
    }
    return {};
}

Result<FileDescriptor> open_fd(const std::filesystem::path& path, int flags, unsigned mode) {
    for (;;) {
        const int fd = ::open(path.c_str(), flags | O_CLOEXEC, static_cast<mode_t>(mode));
        if (fd >= 0) {
            return FileDescriptor(fd);
        }
        if (errno != EINTR) {
            return io_error("open", path, errno);
        }
    }
}

Error io_error(std::string_view what, const std::filesystem::path& path, int err) {
    std::string message(what);
    message += " ";
    message += path.string();
    message += ": ";
    message += std::system_category().message(err);
    return make_error(ErrorKind::io, std::move(message));
}

Result<void> write_all(int fd, std::string_view data, const std::filesystem::path& path) {
    while (!data.empty()) {
        const ssize_t written = ::write(fd, data.data(), data.size());
        if (written < 0) {
            if (errno == EINTR) {
                continue;
            }
            return io_error("write", path, errno);
        }
        data.remove_prefix(static_cast<std::size_t>(written));
    }
    return {};
}

Result<void> sync_fd(int fd, const std::filesystem::path& path) {
    while (::fsync(fd) != 0) {
        if (errno != EINTR) {
            return io_error("fsync", path, errno);
        }
    }
    return {};
}

std::filesystem::path parent_dir_of(const std::filesystem::path& path) {
    const std::filesystem::path parent = path.parent_path();
    return parent.empty() ? std::filesystem::path(".") : parent;
}

std::string random_suffix() {
    // Temporary names need to differ between processes and calls, not to be unpredictable;
    // O_EXCL catches the rare collision. Seeded once per thread: a std::random_device per
    // name opened /dev/urandom for every file a fleet renewal writes.
    thread_local std::mt19937_64 engine = [] {
        std::random_device device;
        return std::mt19937_64((static_cast<std::uint64_t>(device()) << 32) ^ device());
    }();
    const std::uint64_t value = engine();
    char buffer[17];
    std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(value));
    return std::string(buffer);
}

} // namespace wildcert::store
