#include "store/file_lock.hpp"

#include "common/cancellable_wait.hpp"
#include "store/posix_io.hpp"

#include <cerrno>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace wildcert::store {

namespace {

constexpr auto k_poll_interval = std::chrono::milliseconds(50);

} // namespace

FileLock::FileLock(FileLock&& other) noexcept : m_fd(other.m_fd), m_file(std::move(other.m_file)) {
    other.m_fd = -1;
}

FileLock& FileLock::operator=(FileLock&& other) noexcept {
    if (this != &other) {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = other.m_fd;
        m_file = std::move(other.m_file);
        other.m_fd = -1;
    }
    return *this;
}

FileLock::~FileLock() {
    if (m_fd >= 0)
        ::close(m_fd); // closing the last descriptor releases the flock
}

void FileLock::remove_and_release() {
    if (m_fd < 0)
        return;
    ::unlinkat(m_file.folder.fd(), m_file.name.c_str(), 0);
    ::close(m_fd);
    m_fd = -1;
}

Result<std::optional<FileLock>> FileLock::try_lock(const LockFile& file) {
    WILDCERT_TRY(FileDescriptor opened, file.folder.open_file(file.name, O_RDWR | O_CREAT, 0600));
    const std::filesystem::path path = file.path();
    // The FileLock owns the descriptor from here on (closing it is what releases the lock).
    const int fd = opened.release();
    while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        const int err = errno;
        if (err == EINTR)
            continue;
        ::close(fd);
        if (err == EWOULDBLOCK)
            return std::optional<FileLock>();
        return io_error("lock", path, err);
    }
    return std::optional<FileLock>(FileLock(fd, file));
}

Result<std::optional<FileLock>>
FileLock::wait_lock(const LockFile& file, std::optional<std::chrono::milliseconds> timeout,
                    const std::function<bool()>& cancelled) {
    const auto deadline = timeout ? std::chrono::steady_clock::now() + *timeout
                                  : std::chrono::steady_clock::time_point::max();
    while (true) {
        WILDCERT_TRY(auto lock, try_lock(file));
        if (lock || std::chrono::steady_clock::now() >= deadline)
            return lock;
        if (cancelled && cancelled())
            return make_error(ErrorKind::interrupted,
                              "interrupted while waiting for " + file.path().string());
        // Polling rather than a blocking flock: a blocking call could not see SIGINT or the
        // deadline, and a held lock is the rare case. A cancellation cuts the wait short and
        // is reported at the top of the loop.
        (void)common::wait_for(k_poll_interval, cancelled);
    }
}

} // namespace wildcert::store
