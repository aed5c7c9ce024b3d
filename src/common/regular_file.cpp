#include "common/regular_file.hpp"

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>

namespace wildcert {
namespace {

Error failure(const std::string& why) {
    return make_error(ErrorKind::io, why);
}

Error errno_failure(int err) {
    return failure(std::system_category().message(err));
}

const char* kind_of(mode_t mode) {
    if (S_ISDIR(mode))
        return "is a folder";
    if (S_ISFIFO(mode))
        return "is a FIFO";
    if (S_ISCHR(mode) || S_ISBLK(mode))
        return "is a device";
    if (S_ISSOCK(mode))
        return "is a socket";
    return "is a special file";
}

std::string too_large(std::size_t max_bytes) {
    return "is larger than the " + std::to_string(max_bytes) + "-byte limit";
}

class Closer {
public:
    explicit Closer(int fd) : m_fd(fd) {}
    Closer(const Closer&) = delete;
    Closer& operator=(const Closer&) = delete;
    ~Closer() { ::close(m_fd); }

private:
    int m_fd;
};

} // namespace

Result<std::optional<std::string>> read_regular_file(int dir_fd, const std::filesystem::path& path,
                                                     std::size_t max_bytes, Symlinks symlinks) {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
    int flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
    if (symlinks == Symlinks::refuse)
        flags |= O_NOFOLLOW;
    int fd = -1;
    do {
        fd = ::openat(dir_fd, path.c_str(), flags);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) {
        const int err = errno;
        if (err == ENOENT || err == ENOTDIR)
            return std::optional<std::string>();
        if (err == ELOOP && symlinks == Symlinks::refuse)
            return failure("is a symbolic link; wildcert does not follow links here");
        return errno_failure(err);
    }
    const Closer closer(fd);
    struct stat info {};
    if (::fstat(fd, &info) != 0)
        return errno_failure(errno);
    if (!S_ISREG(info.st_mode))
        return failure(std::string(kind_of(info.st_mode)) + ", not a regular file");
    if (info.st_size < 0 || static_cast<std::size_t>(info.st_size) > max_bytes)
        return failure(too_large(max_bytes));
    // The size can change under us (or be 0 for files the kernel makes up): the read itself is
    // bounded too, one byte past the limit telling that there was more.
    // One byte more than the size: a regular file gives what it has in one read, so a read
    // shorter than asked is its end, without a second read to see 0 (half of a no-op
    // renewal's reads). Files that say size 0 are read until read() says 0.
    const std::size_t size = static_cast<std::size_t>(info.st_size);
    std::string content(size + 1, '\0');
    std::size_t used = 0;
    for (;;) {
        if (used == content.size())
            content.resize(std::min(max_bytes + 1, std::max<std::size_t>(4096, used * 2)));
        const std::size_t wanted = content.size() - used;
        const ssize_t got = ::read(fd, content.data() + used, wanted);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            return errno_failure(errno);
        }
        if (got == 0)
            break;
        used += static_cast<std::size_t>(got);
        if (used > max_bytes)
            return failure(too_large(max_bytes));
        if (size > 0 && static_cast<std::size_t>(got) < wanted)
            break;
    }
    content.resize(used);
    return std::optional<std::string>(std::move(content));
}

} // namespace wildcert
