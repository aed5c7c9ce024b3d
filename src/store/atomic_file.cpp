#include "store/atomic_file.hpp"

#include "common/regular_file.hpp"
#include "store/posix_io.hpp"

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace wildcert::store {

namespace {

// Collisions of the random part are near impossible; a few retries keep a stale file with an
// unlucky name from failing the write.
constexpr int k_temp_name_attempts = 8;

mode_t to_mode(std::filesystem::perms mode) {
    return static_cast<mode_t>(mode & std::filesystem::perms::mask);
}

struct TempFile {
    std::string name;
    FileDescriptor fd;
};

Result<TempFile> create_temp_next_to(const Folder& dir, std::string_view name, mode_t mode) {
    const std::string prefix = std::string(name) + ".tmp-" + std::to_string(::getpid()) + "-";
    for (int attempt = 0;; ++attempt) {
        std::string temp = prefix + random_suffix();
        const int fd = ::openat(dir.fd(), temp.c_str(),
                                O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, mode);
        if (fd >= 0) {
            return TempFile{std::move(temp), FileDescriptor(fd)};
        }
        const int err = errno;
        if ((err != EEXIST && err != EINTR) || attempt + 1 >= k_temp_name_attempts) {
            return io_error("create temporary file for", dir / name, err);
        }
    }
}

// The steps between creating the temporary file and renaming it; any failure here leaves the
// temporary file for the caller to remove.
Result<void> fill_and_rename(TempFile& temp, const Folder& dir, std::string_view name,
                             std::string_view content, mode_t mode) {
    const std::filesystem::path shown = dir / temp.name;
    if (::fchmod(temp.fd.get(), mode) != 0) {
        return io_error("chmod", shown, errno);
    }
    WILDCERT_CHECK(write_all(temp.fd.get(), content, shown));
    WILDCERT_CHECK(sync_fd(temp.fd.get(), shown));
    WILDCERT_CHECK(temp.fd.close(shown));
    if (::renameat(dir.fd(), temp.name.c_str(), dir.fd(), std::string(name).c_str()) != 0) {
        return io_error("rename into place", dir / name, errno);
    }
    return {};
}

} // namespace

Result<void> write_new_file(const Folder& dir, std::string_view name, std::string_view content,
                            std::filesystem::perms mode) {
    const mode_t raw_mode = to_mode(mode);
    const std::filesystem::path shown = dir / name;
    const int raw = ::openat(dir.fd(), std::string(name).c_str(),
                             O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, raw_mode);
    if (raw < 0)
        return io_error("create", shown, errno);
    FileDescriptor fd(raw);
    // The umask may have narrowed the mode at creation; fchmod gives exactly `mode`.
    if (::fchmod(fd.get(), raw_mode) != 0)
        return io_error("chmod", shown, errno);
    WILDCERT_CHECK(write_all(fd.get(), content, shown));
    WILDCERT_CHECK(sync_fd(fd.get(), shown));
    return fd.close(shown);
}

Result<void> write_file_atomically(const Folder& dir, std::string_view name,
                                   std::string_view content, std::filesystem::perms mode) {
    const mode_t raw_mode = to_mode(mode);
    WILDCERT_TRY(TempFile temp, create_temp_next_to(dir, name, raw_mode));
    const Result<void> written = fill_and_rename(temp, dir, name, content, raw_mode);
    if (!written.ok()) {
        ::unlinkat(dir.fd(), temp.name.c_str(), 0);
        return written.error();
    }
    // After the rename the new content is in place; this makes the rename itself durable.
    return dir.sync();
}

Result<void> write_file_atomically(const std::filesystem::path& path, std::string_view content,
                                   std::filesystem::perms mode) {
    Result<Folder> dir = Folder::open_plain(parent_dir_of(path));
    if (!dir.ok()) {
        return dir.error().with_context("write " + path.string());
    }
    return write_file_atomically(*dir, path.filename().string(), content, mode);
}

Result<std::optional<std::string>> read_file_if_exists(const Folder& dir, std::string_view name,
                                                       std::size_t max_bytes) {
    auto content = read_regular_file(dir.fd(), std::string(name), max_bytes, Symlinks::refuse);
    if (!content.ok()) {
        return make_error(ErrorKind::io, (dir / name).string() + ": " + content.error().message);
    }
    return content;
}

Result<std::string> read_file(const Folder& dir, std::string_view name, std::size_t max_bytes) {
    WILDCERT_TRY(std::optional<std::string> content, read_file_if_exists(dir, name, max_bytes));
    if (!content) {
        return io_error("open", dir / name, ENOENT);
    }
    return std::move(*content);
}

} // namespace wildcert::store
