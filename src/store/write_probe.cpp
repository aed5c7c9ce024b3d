#include "store/write_probe.hpp"

#include <cerrno>
#include <fcntl.h>
#include <string>
#include <unistd.h>

namespace wildcert::store {
namespace {

int open_retrying(int dir_fd, const char* name, int flags, mode_t mode) {
    int fd = -1;
    do {
        fd = ::openat(dir_fd, name, flags | O_CLOEXEC, mode);
    } while (fd < 0 && errno == EINTR);
    return fd;
}

} // namespace

int probe_folder_write(const Folder& folder) {
    const int unnamed = open_retrying(folder.fd(), ".", O_TMPFILE | O_WRONLY, 0600);
    if (unnamed >= 0) {
        ::close(unnamed);
        return 0;
    }
    // EISDIR or EOPNOTSUPP: a kernel or file system without O_TMPFILE; anything else is the
    // answer (EACCES, EROFS, EPERM, ENOSPC, EDQUOT, ...).
    if (errno != EOPNOTSUPP && errno != EISDIR)
        return errno;
    const std::string name =
        "write-probe.tmp-" + std::to_string(::getpid()) + "-" + random_suffix();
    const int named =
        open_retrying(folder.fd(), name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600);
    if (named < 0)
        return errno;
    ::close(named);
    if (::unlinkat(folder.fd(), name.c_str(), 0) != 0)
        return errno;
    return 0;
}

int probe_file_write(const Folder& folder, std::string_view name) {
    const std::string text(name);
    const int fd =
        open_retrying(folder.fd(), text.c_str(), O_WRONLY | O_APPEND | O_NOFOLLOW | O_NONBLOCK, 0);
    if (fd < 0)
        return errno == ENOENT ? 0 : errno;
    ::close(fd);
    return 0;
}

} // namespace wildcert::store
