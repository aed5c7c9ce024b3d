#include "store/atomic_file.hpp"

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
constexpr std::size_t k_read_chunk = 64 * 1024;

mode_t to_mode(std::filesystem::perms mode) {
    return static_cast<mode_t>(mode & std::filesystem::perms::mask);
}

struct TempFile {
    std::filesystem::path path;
    FileDescriptor fd;
};

Result<TempFile> create_temp_next_to(const std::filesystem::path& path, mode_t mode) {
    const std::string prefix =
        path.filename().string() + ".tmp-" + std::to_string(::getpid()) + "-";
    for (int attempt = 0;; ++attempt) {
        std::filesystem::path temp = path;
        temp.replace_filename(prefix + random_suffix());
        const int fd = ::open(temp.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC,
                              static_cast<mode_t>(mode));
        if (fd >= 0) {
            return TempFile{std::move(temp), FileDescriptor(fd)};
        }
        const int err = errno;
        if ((err != EEXIST && err != EINTR) || attempt + 1 >= k_temp_name_attempts) {
            return io_error("create temporary file for", path, err);
        }
    }
}

// The steps between creating the temporary file and renaming it; any failure here leaves the
// temporary file for the caller to remove.
Result<void> fill_and_rename(TempFile& temp, const std::filesystem::path& path,
                             std::string_view content, mode_t mode) {
    if (::fchmod(temp.fd.get(), mode) != 0) {
        return io_error("chmod", temp.path, errno);
    }
    WILDCERT_CHECK(write_all(temp.fd.get(), content, temp.path));
    WILDCERT_CHECK(sync_fd(temp.fd.get(), temp.path));
    WILDCERT_CHECK(temp.fd.close(temp.path));
    if (::rename(temp.path.c_str(), path.c_str()) != 0) {
        return io_error("rename into place", path, errno);
    }
    return {};
}

} // namespace

Result<void> write_file_atomically(const std::filesystem::path& path, std::string_view content,
                                   std::filesystem::perms mode) {
    const mode_t raw_mode = to_mode(mode);
    WILDCERT_TRY(TempFile temp, create_temp_next_to(path, raw_mode));
    const Result<void> written = fill_and_rename(temp, path, content, raw_mode);
    if (!written.ok()) {
        ::unlink(temp.path.c_str());
        return written.error();
    }
    // After the rename the new content is in place; this makes the rename itself durable.
    return sync_dir(parent_dir_of(path));
}

Result<std::optional<std::string>> read_file_if_exists(const std::filesystem::path& path) {
    const int raw = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (raw < 0) {
        if (errno == ENOENT || errno == ENOTDIR) {
            return std::optional<std::string>{};
        }
        return io_error("open", path, errno);
    }
    const FileDescriptor fd(raw);
    std::string content;
    std::string chunk(k_read_chunk, '\0');
    for (;;) {
        const ssize_t got = ::read(fd.get(), chunk.data(), chunk.size());
        if (got < 0) {
            if (errno == EINTR) {
                continue;
            }
            return io_error("read", path, errno);
        }
        if (got == 0) {
            break;
        }
        content.append(chunk.data(), static_cast<std::size_t>(got));
    }
    return std::optional<std::string>(std::move(content));
}

Result<std::string> read_file(const std::filesystem::path& path) {
    WILDCERT_TRY(std::optional<std::string> content, read_file_if_exists(path));
    if (!content) {
        return io_error("open", path, ENOENT);
    }
    return std::move(*content);
}

Result<void> create_private_dirs(const std::filesystem::path& dir) {
    if (dir.empty()) {
        return make_error(ErrorKind::io, "create folder: empty path");
    }
    std::filesystem::path current;
    for (const std::filesystem::path& part : dir) {
        current /= part;
        if (part.empty() || part == "/" || part == "." || part == "..") {
            continue;
        }
        if (::mkdir(current.c_str(), 0700) == 0) {
            // mkdir's mode passes through the umask; a folder we create is private whatever
            // the umask says.
            if (::chmod(current.c_str(), 0700) != 0) {
                return io_error("chmod", current, errno);
            }
            continue;
        }
        const int err = errno;
        struct stat info {};
        if (err == EEXIST && ::stat(current.c_str(), &info) == 0 && S_ISDIR(info.st_mode)) {
            continue;
        }
        return io_error("create folder", current, err == EEXIST ? ENOTDIR : err);
    }
    return {};
}

} // namespace wildcert::store
