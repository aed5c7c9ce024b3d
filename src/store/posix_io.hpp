#pragma once
// Small POSIX building blocks shared by the store: an owned file descriptor, error messages
// that name the path, and the write/fsync steps that durability depends on.

#include <wildcert/result.hpp>

#include <filesystem>
#include <string>
#include <string_view>

namespace wildcert::store {

// An owned file descriptor (move-only); the destructor closes it and ignores errors, so code
// that must know whether a write reached the file calls close() itself.
class FileDescriptor {
public:
    FileDescriptor() = default;
    explicit FileDescriptor(int fd) : m_fd(fd) {}
    FileDescriptor(FileDescriptor&& other) noexcept : m_fd(other.m_fd) { other.m_fd = -1; }
    FileDescriptor& operator=(FileDescriptor&& other) noexcept;
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    ~FileDescriptor();

    [[nodiscard]] int get() const { return m_fd; }
    [[nodiscard]] bool valid() const { return m_fd >= 0; }
    // Gives up ownership: the caller closes the descriptor.
    [[nodiscard]] int release() {
        const int fd = m_fd;
        m_fd = -1;
        return fd;
    }
    // Closes now and reports close()'s error (it can carry a delayed write error).
    [[nodiscard]] Result<void> close(const std::filesystem::path& path);

private:
    int m_fd = -1;
};

// open(2) with EINTR retried; the error names `path`.
[[nodiscard]] Result<FileDescriptor> open_fd(const std::filesystem::path& path, int flags,
                                             unsigned mode = 0);

// An ErrorKind::io error "<what> <path>: <strerror(err)>".
[[nodiscard]] Error io_error(std::string_view what, const std::filesystem::path& path, int err);

// Writes every byte, retrying on EINTR and short writes.
[[nodiscard]] Result<void> write_all(int fd, std::string_view data,
                                     const std::filesystem::path& path);

// fsync of a file descriptor, naming `path` on failure.
[[nodiscard]] Result<void> sync_fd(int fd, const std::filesystem::path& path);

// The folder that holds `path` ("." for a bare file name).
[[nodiscard]] std::filesystem::path parent_dir_of(const std::filesystem::path& path);

// A short random hex string for temporary names (not a secret; avoids collisions only).
[[nodiscard]] std::string random_suffix();

} // namespace wildcert::store
