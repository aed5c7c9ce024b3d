#include "store/folder.hpp"

#include <cerrno>
#include <cstdio>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace wildcert::store {
namespace {

constexpr int k_dir_flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC;
// remove_tree only ever meets wildcert's own trees (a staging folder, a dry run's scratch
// state directory: a few levels); deeper is not ours.
constexpr int k_max_tree_depth = 8;

std::string octal(mode_t mode) {
    char text[8];
    std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
    return text;
}

bool is_one_component(std::string_view name) {
    return !name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos;
}

// wildcert never changes its user while it runs; asked once instead of once per folder (a
// no-op renewal of 1000 certificates opens about 5000).
uid_t effective_uid() {
    static const uid_t uid = ::geteuid();
    return uid;
}

// The owner and mode rules of the header, on an open folder.
Result<void> check_folder(int fd, const std::filesystem::path& path,
                          std::vector<std::string>* repairs) {
    struct stat info {};
    if (::fstat(fd, &info) != 0)
        return io_error("inspect", path, errno);
    if (info.st_uid != effective_uid())
        return make_error(ErrorKind::io,
                          path.string() + " belongs to uid " + std::to_string(info.st_uid) +
                              ", not to uid " + std::to_string(effective_uid()) +
                              " that runs wildcert; refusing to keep keys there (chown it to "
                              "this user or use another --state-dir)");
    if ((info.st_mode & (S_IWGRP | S_IWOTH)) == 0)
        return {};
    // Others could swap or plant files in it: it gets the mode wildcert gives its folders.
    const mode_t repaired = info.st_mode & S_IRWXU;
    if (::fchmod(fd, repaired) != 0)
        return io_error("chmod", path, errno);
    if (repairs != nullptr)
        repairs->push_back(path.string() + " was writable by group or others (" +
                           octal(info.st_mode) + "); set to " + octal(repaired));
    return {};
}

// The folder's descriptor; -1 when nothing is there and `absent_is_error` is false.
Result<int> open_dir_at(int parent, std::string_view name, const std::filesystem::path& path,
                        bool absent_is_error = true) {
    const std::string text(name);
    for (;;) {
        const int fd = ::openat(parent, text.c_str(), k_dir_flags | O_NOFOLLOW);
        if (fd >= 0)
            return fd;
        const int err = errno;
        if (err == EINTR)
            continue;
        if (err == ENOENT && !absent_is_error)
            return -1;
        struct stat info {};
        if ((err == ELOOP || err == ENOTDIR) &&
            ::fstatat(parent, text.c_str(), &info, AT_SYMLINK_NOFOLLOW) == 0) {
            return make_error(ErrorKind::io,
                              path.string() +
                                  (S_ISLNK(info.st_mode)
                                       ? " is a symbolic link; wildcert does not follow links "
                                         "in the state directory (remove it)"
                                       : " is not a folder; move it away"));
        }
        return io_error("open folder", path, err);
    }
}

} // namespace

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

Result<Folder> Folder::open_root(const std::filesystem::path& path,
                                 std::vector<std::string>* repairs) {
    WILDCERT_CHECK(create_private_dirs(path));
    WILDCERT_TRY(FileDescriptor fd, open_fd(path, k_dir_flags));
    WILDCERT_CHECK(check_folder(fd.get(), path, repairs));
    return Folder(std::make_shared<FileDescriptor>(std::move(fd)), path);
}

Result<Folder> Folder::open_plain(const std::filesystem::path& path) {
    WILDCERT_TRY(FileDescriptor fd, open_fd(path, k_dir_flags));
    return Folder(std::make_shared<FileDescriptor>(std::move(fd)), path);
}

Result<Folder> Folder::sub(std::string_view name, Create create,
                           std::vector<std::string>* repairs) const {
    const std::filesystem::path path = m_path / name;
    if (!is_one_component(name))
        return make_error(ErrorKind::io, "not a single folder name: " + path.string());
    bool made = false;
    // Opened first: the folder is there on every run but the first, and a mkdirat that fails
    // with EEXIST is one system call per folder for nothing.
    WILDCERT_TRY(int raw, open_dir_at(fd(), name, path, create == Create::no));
    if (raw < 0) {
        if (::mkdirat(fd(), std::string(name).c_str(), 0700) == 0)
            made = true;
        else if (errno != EEXIST)
            return io_error("create folder", path, errno);
        WILDCERT_TRY(raw, open_dir_at(fd(), name, path));
    }
    FileDescriptor opened(raw);
    // mkdir's mode passes through the umask; a folder wildcert makes is 0700 whatever it says.
    if (made && ::fchmod(opened.get(), 0700) != 0)
        return io_error("chmod", path, errno);
    WILDCERT_CHECK(check_folder(opened.get(), path, repairs));
    if (made)
        WILDCERT_CHECK(sync());
    return Folder(std::make_shared<FileDescriptor>(std::move(opened)), path);
}

Result<std::optional<Folder>> Folder::sub_if_exists(std::string_view name) const {
    const std::filesystem::path path = m_path / name;
    if (!is_one_component(name))
        return make_error(ErrorKind::io, "not a single folder name: " + path.string());
    WILDCERT_TRY(const int raw, open_dir_at(fd(), name, path, false));
    if (raw < 0)
        return std::optional<Folder>();
    FileDescriptor opened(raw);
    WILDCERT_CHECK(check_folder(opened.get(), path, nullptr));
    return std::optional<Folder>(Folder(std::make_shared<FileDescriptor>(std::move(opened)), path));
}

Result<FileDescriptor> Folder::open_file(std::string_view name, int flags, unsigned mode) const {
    const std::filesystem::path path = m_path / name;
    const std::string text(name);
    int raw = -1;
    do {
        raw = ::openat(fd(), text.c_str(), flags | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC,
                       static_cast<mode_t>(mode));
    } while (raw < 0 && errno == EINTR);
    if (raw < 0) {
        if (errno == ELOOP)
            return make_error(ErrorKind::io, path.string() +
                                                 " is a symbolic link; wildcert does not follow "
                                                 "links in the state directory (remove it)");
        return io_error("open", path, errno);
    }
    FileDescriptor opened(raw);
    struct stat info {};
    if (::fstat(opened.get(), &info) != 0)
        return io_error("inspect", path, errno);
    if (!S_ISREG(info.st_mode))
        return make_error(ErrorKind::io, path.string() + " is not a regular file; move it away");
    // Regular files ignore O_NONBLOCK; it is cleared all the same so that writes stay plain.
    const int status = ::fcntl(opened.get(), F_GETFL);
    if (status < 0 || ::fcntl(opened.get(), F_SETFL, status & ~O_NONBLOCK) != 0)
        return io_error("open", path, errno);
    return opened;
}

Result<std::vector<std::string>> Folder::names() const {
    WILDCERT_TRY(const std::vector<Folder::Entry> entries, list());
    std::vector<std::string> names;
    names.reserve(entries.size());
    for (const Folder::Entry& entry : entries)
        names.push_back(entry.name);
    return names;
}

Result<std::vector<Folder::Entry>> Folder::list() const {
    // A descriptor of its own: reading the entries moves the offset, which dup() would share.
    // getdents64 straight on it, without opendir's extra fstat and fcntl calls.
    const int raw = ::openat(fd(), ".", k_dir_flags);
    if (raw < 0)
        return io_error("list", m_path, errno);
    const FileDescriptor listing(raw);
    alignas(dirent64) char buffer[32 * 1024];
    std::vector<Folder::Entry> entries;
    for (;;) {
        const ssize_t length = ::getdents64(listing.get(), buffer, sizeof buffer);
        if (length < 0 && errno == EINTR)
            continue;
        if (length < 0)
            return io_error("list", m_path, errno);
        if (length == 0)
            return entries;
        for (ssize_t at = 0; at < length;) {
            const auto* entry = reinterpret_cast<const dirent64*>(buffer + at);
            at += entry->d_reclen;
            const std::string_view name = entry->d_name;
            if (name == "." || name == "..")
                continue;
            const EntryType type = entry->d_type == DT_DIR       ? EntryType::folder
                                   : entry->d_type == DT_UNKNOWN ? EntryType::unknown
                                                                 : EntryType::other;
            entries.push_back(Folder::Entry{std::string(name), type});
        }
    }
}

Result<void> Folder::sync() const {
    return sync_fd(fd(), m_path);
}

Result<void> Folder::remove_file(std::string_view name) const {
    if (::unlinkat(fd(), std::string(name).c_str(), 0) != 0 && errno != ENOENT)
        return io_error("remove", m_path / name, errno);
    return {};
}

Result<void> Folder::remove_tree(std::string_view name) const {
    return remove_tree(name, 0);
}

Result<void> Folder::remove_tree(std::string_view name, int depth) const {
    const std::filesystem::path path = m_path / name;
    if (depth > k_max_tree_depth)
        return make_error(ErrorKind::io, "remove " + path.string() + ": nested too deep");
    WILDCERT_TRY(const int raw, open_dir_at(fd(), name, path));
    const Folder child(std::make_shared<FileDescriptor>(raw), path);
    WILDCERT_TRY(const std::vector<std::string> entries, child.names());
    for (const std::string& entry : entries) {
        struct stat info {};
        const bool folder = ::fstatat(child.fd(), entry.c_str(), &info, AT_SYMLINK_NOFOLLOW) == 0 &&
                            S_ISDIR(info.st_mode);
        WILDCERT_CHECK(folder ? child.remove_tree(entry, depth + 1) : child.remove_file(entry));
    }
    if (::unlinkat(fd(), std::string(name).c_str(), AT_REMOVEDIR) != 0 && errno != ENOENT)
        return io_error("remove", path, errno);
    return {};
}

} // namespace wildcert::store
