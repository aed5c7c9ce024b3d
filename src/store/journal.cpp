#include "store/journal.hpp"

#include "store/atomic_file.hpp"
#include "store/journal_format.hpp"
#include "store/posix_io.hpp"
#include "store/stable_id.hpp"

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>

namespace wildcert::store {

namespace {

using std::filesystem::perms;

constexpr perms k_private_file = perms::owner_read | perms::owner_write; // 0600

// True when the file is non-empty and its last byte is not LF: a crash cut the last append
// short, and the next append must start on a fresh line or it would corrupt its first record.
// `fd` must be open for reading.
Result<bool> ends_mid_line(int fd, const std::filesystem::path& path) {
    struct stat info {};
    if (::fstat(fd, &info) != 0) {
        return io_error("stat", path, errno);
    }
    if (info.st_size == 0) {
        return false;
    }
    char last = '\n';
    if (::pread(fd, &last, 1, info.st_size - 1) != 1) {
        return io_error("read", path, errno);
    }
    return last != '\n';
}

Result<void> remove_file(const std::filesystem::path& path) {
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
        return io_error("remove", path, errno);
    }
    return sync_dir(parent_dir_of(path));
}

std::filesystem::path lock_path_of(const std::filesystem::path& file) {
    std::filesystem::path lock = file;
    lock.replace_extension(".lock");
    return lock;
}

void append_unique(std::vector<TxtRecord>& into, const std::vector<TxtRecord>& records) {
    for (const TxtRecord& record : records) {
        if (std::find(into.begin(), into.end(), record) == into.end()) {
            into.push_back(record);
        }
    }
}

} // namespace

Result<CleanupJournal> CleanupJournal::open(const std::filesystem::path& journal_dir,
                                            const std::string& key) {
    const std::string id = fnv1a_64_hex(key);
    // The run name only has to differ from concurrent runs' names: pid plus a random suffix.
    std::string run = std::to_string(::getpid()) + "-" + random_suffix();
    return CleanupJournal(journal_dir / id, journal_dir / (id + ".txt"), std::move(run));
}

CleanupJournal::~CleanupJournal() {
    if (!m_lock) {
        return;
    }
    std::error_code error;
    if (std::filesystem::exists(own_file(), error)) {
        return; // records are left: the lock file stays, and goes with the file (next run)
    }
    m_lock->remove_and_release();
}

Result<std::vector<CleanupJournal::File>> CleanupJournal::readable_files() const {
    std::vector<File> files;
    std::error_code error;
    if (std::filesystem::exists(m_legacy_file, error)) {
        files.push_back(File{m_legacy_file, std::nullopt, false});
    }
    std::filesystem::directory_iterator it(m_dir, error);
    if (error) {
        if (error == std::errc::no_such_file_or_directory) {
            return files;
        }
        return io_error("list", m_dir, error.value());
    }
    for (; it != std::filesystem::directory_iterator(); it.increment(error)) {
        const std::filesystem::path path = it->path();
        if (path.extension() != ".txt") {
            continue;
        }
        if (path == own_file()) {
            files.push_back(File{path, std::nullopt, true});
            continue;
        }
        WILDCERT_TRY(auto lock, FileLock::try_lock(lock_path_of(path)));
        if (!lock) {
            continue; // a live run: its records are its own business
        }
        files.push_back(File{path, std::move(lock), false});
    }
    if (error) {
        return io_error("list", m_dir, error.value());
    }
    return files;
}

Result<std::vector<TxtRecord>> CleanupJournal::pending() const {
    WILDCERT_TRY(const std::vector<File> files, readable_files());
    std::vector<TxtRecord> records;
    for (const File& file : files) {
        WILDCERT_TRY(std::optional<std::string> text, read_file_if_exists(file.path));
        if (text) {
            append_unique(records, parse_journal(*text));
        }
    }
    return records;
}

Result<void> CleanupJournal::record(std::span<const TxtRecord> records) {
    if (records.empty()) {
        return {};
    }
    std::string lines;
    for (const TxtRecord& record : records) {
        WILDCERT_TRY(const std::string line, format_journal_line(record));
        lines += line;
    }
    WILDCERT_CHECK(create_private_dirs(m_dir));
    if (!m_lock) {
        WILDCERT_TRY(auto lock, FileLock::try_lock(lock_path_of(own_file())));
        if (!lock) {
            return make_error(ErrorKind::io,
                              "journal " + own_file().string() + " is locked by another process");
        }
        m_lock = std::move(lock);
    }
    const std::filesystem::path path = own_file();
    WILDCERT_TRY(FileDescriptor fd, open_fd(path, O_RDWR | O_APPEND | O_CREAT, 0600));
    if (::fchmod(fd.get(), 0600) != 0) {
        return io_error("chmod", path, errno);
    }
    WILDCERT_TRY(const bool cut_short, ends_mid_line(fd.get(), path));
    if (cut_short) {
        lines.insert(lines.begin(), '\n');
    }
    WILDCERT_CHECK(write_all(fd.get(), lines, path));
    WILDCERT_CHECK(sync_fd(fd.get(), path));
    WILDCERT_CHECK(fd.close(path));
    // The file may be new: its folder entry must survive a crash as well.
    return sync_dir(m_dir);
}

Result<void> CleanupJournal::forget(std::span<const TxtRecord> records) {
    return strike(records, false);
}

Result<void> CleanupJournal::withdraw(std::span<const TxtRecord> records) {
    return strike(records, true);
}

Result<void> CleanupJournal::strike(std::span<const TxtRecord> records, bool own_only) {
    WILDCERT_TRY(std::vector<File> files, readable_files());
    const auto forgotten = [&](const TxtRecord& record) {
        return std::find(records.begin(), records.end(), record) != records.end();
    };
    for (File& file : files) {
        if (own_only && !file.own) {
            continue;
        }
        WILDCERT_TRY(std::optional<std::string> text, read_file_if_exists(file.path));
        if (!text) {
            continue;
        }
        std::vector<TxtRecord> remaining = parse_journal(*text);
        const auto removed = std::remove_if(remaining.begin(), remaining.end(), forgotten);
        if (removed == remaining.end()) {
            continue; // nothing to strike out; leave the file (and any partial line) alone
        }
        remaining.erase(removed, remaining.end());
        if (remaining.empty()) {
            WILDCERT_CHECK(remove_file(file.path));
            if (file.lock) {
                file.lock->remove_and_release();
            }
            continue;
        }
        std::string rewritten;
        for (const TxtRecord& record : remaining) {
            WILDCERT_TRY(const std::string line, format_journal_line(record));
            rewritten += line;
        }
        WILDCERT_CHECK(write_file_atomically(file.path, rewritten, k_private_file));
    }
    return {};
}

} // namespace wildcert::store
