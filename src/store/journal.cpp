#include "store/journal.hpp"

#include "store/atomic_file.hpp"
#include "store/journal_format.hpp"
#include "store/posix_io.hpp"
#include "store/stable_id.hpp"

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
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

constexpr const char* k_journal_dir = "journal";
// A journal holds the records of one run, a few hundred bytes per name; far more is not ours.
constexpr std::size_t k_max_journal_bytes = 16 * 1024 * 1024;

bool is_journal_file(const std::string& name) {
    return name.size() > 4 && name.ends_with(".txt");
}

std::string lock_name_of(const std::string& file) {
    return file.substr(0, file.size() - 4) + ".lock";
}

Result<void> remove_file(const Folder& folder, const std::string& name) {
    WILDCERT_CHECK(folder.remove_file(name));
    return folder.sync();
}

void append_unique(std::vector<TxtRecord>& into, const std::vector<TxtRecord>& records) {
    for (const TxtRecord& record : records) {
        if (std::find(into.begin(), into.end(), record) == into.end()) {
            into.push_back(record);
        }
    }
}

} // namespace

Result<CleanupJournal> CleanupJournal::open(const Folder& state_root, const std::string& key) {
    // The run name only has to differ from concurrent runs' names: pid plus a random suffix.
    std::string run = std::to_string(::getpid()) + "-" + random_suffix();
    return CleanupJournal(state_root, fnv1a_64_hex(key), std::move(run));
}

CleanupJournal::~CleanupJournal() {
    if (!m_lock) {
        return;
    }
    struct stat info {};
    if (::fstatat(m_lock->folder().fd(), own_file().c_str(), &info, AT_SYMLINK_NOFOLLOW) == 0) {
        return; // records are left: the lock file stays, and goes with the file (next run)
    }
    m_lock->remove_and_release();
}

Result<std::vector<CleanupJournal::File>> CleanupJournal::readable_files() const {
    std::vector<File> files;
    WILDCERT_TRY(const std::optional<Folder> journal, m_root.sub_if_exists(k_journal_dir));
    if (!journal) {
        return files;
    }
    const std::string legacy = m_id + ".txt";
    struct stat info {};
    if (::fstatat(journal->fd(), legacy.c_str(), &info, AT_SYMLINK_NOFOLLOW) == 0) {
        files.push_back(File{*journal, legacy, std::nullopt, false});
    }
    WILDCERT_TRY(const std::optional<Folder> dir, journal->sub_if_exists(m_id));
    if (!dir) {
        return files;
    }
    WILDCERT_TRY(std::vector<std::string> names, dir->names());
    std::sort(names.begin(), names.end());
    for (const std::string& name : names) {
        if (!is_journal_file(name)) {
            continue;
        }
        if (name == own_file()) {
            files.push_back(File{*dir, name, std::nullopt, true});
            continue;
        }
        WILDCERT_TRY(auto lock, FileLock::try_lock(LockFile{*dir, lock_name_of(name)}));
        if (!lock) {
            continue; // a live run: its records are its own business
        }
        files.push_back(File{*dir, name, std::move(lock), false});
    }
    return files;
}

Result<std::vector<TxtRecord>> CleanupJournal::pending() const {
    WILDCERT_TRY(const std::vector<File> files, readable_files());
    std::vector<TxtRecord> records;
    for (const File& file : files) {
        WILDCERT_TRY(std::optional<std::string> text,
                     read_file_if_exists(file.folder, file.name, k_max_journal_bytes));
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
    WILDCERT_TRY(const Folder journal, m_root.sub(k_journal_dir, Create::yes));
    WILDCERT_TRY(const Folder dir, journal.sub(m_id, Create::yes));
    if (!m_lock) {
        WILDCERT_TRY(auto lock, FileLock::try_lock(LockFile{dir, m_run + ".lock"}));
        if (!lock) {
            return make_error(ErrorKind::io, "journal " + (dir / own_file()).string() +
                                                 " is locked by another process");
        }
        m_lock = std::move(lock);
    }
    const std::filesystem::path path = dir / own_file();
    WILDCERT_TRY(FileDescriptor fd, dir.open_file(own_file(), O_RDWR | O_APPEND | O_CREAT, 0600));
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
    return dir.sync();
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
        WILDCERT_TRY(std::optional<std::string> text,
                     read_file_if_exists(file.folder, file.name, k_max_journal_bytes));
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
            WILDCERT_CHECK(remove_file(file.folder, file.name));
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
        WILDCERT_CHECK(write_file_atomically(file.folder, file.name, rewritten, k_private_file));
    }
    return {};
}

} // namespace wildcert::store
