#pragma once
// Advisory whole-file locks (flock(2)) that coordinate wildcert runs sharing a state directory.
// The kernel drops a lock when its holder dies, even by SIGKILL, so a crashed run never leaves
// a lock behind; that is why these are flock locks and not lock files that merely exist.

#include "store/folder.hpp"

#include <wildcert/result.hpp>

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>

namespace wildcert::store {

// Where a lock file lives: a folder held open and a name in it.
struct LockFile {
    Folder folder;
    std::string name;
    [[nodiscard]] std::filesystem::path path() const { return folder / name; }
};

class FileLock {
public:
    FileLock(FileLock&& other) noexcept;
    FileLock& operator=(FileLock&& other) noexcept;
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;
    ~FileLock(); // releases

    // Takes the exclusive lock on the file (created 0600 when missing, never through a
    // symlink). nullopt when another holder has it. Two FileLocks on one file exclude each
    // other even inside one process.
    [[nodiscard]] static Result<std::optional<FileLock>> try_lock(const LockFile& file);

    // Like try_lock, but waits while the lock is held: up to `timeout` (nullopt: no limit),
    // checking every 50 ms and giving up early when `cancelled` says so (then an
    // ErrorKind::interrupted error). nullopt when the lock was still held at the timeout.
    [[nodiscard]] static Result<std::optional<FileLock>>
    wait_lock(const LockFile& file, std::optional<std::chrono::milliseconds> timeout,
              const std::function<bool()>& cancelled);

    [[nodiscard]] std::filesystem::path path() const { return m_file.path(); }
    [[nodiscard]] const Folder& folder() const { return m_file.folder; }

    // Deletes the lock file, then releases: for locks whose name nobody else will ask for again
    // (a run's own journal lock). Never used for shared names (a certificate's lock), where a
    // waiter could end up holding a lock on a deleted file.
    void remove_and_release();

private:
    FileLock(int fd, LockFile file) : m_fd(fd), m_file(std::move(file)) {}
    int m_fd = -1;
    LockFile m_file;
};

} // namespace wildcert::store
