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

Result<void> remove_file(const std::filesystem::path& path) {
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
        return io_error("remove", path, errno);
    }
    return sync_dir(parent_dir_of(path));
}

} // namespace

Result<CleanupJournal> CleanupJournal::open(const std::filesystem::path& journal_dir,
                                            const std::string& key) {
    // The folder is created by the first record(): a run that adds nothing writes nothing.
    return CleanupJournal(journal_dir / (fnv1a_64_hex(key) + ".txt"));
}

Result<std::vector<TxtRecord>> CleanupJournal::pending() const {
    WILDCERT_TRY(std::optional<std::string> text, read_file_if_exists(m_path));
    if (!text) {
        return std::vector<TxtRecord>{};
    }
    return parse_journal(*text);
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
    WILDCERT_CHECK(create_private_dirs(m_path.parent_path()));
    WILDCERT_TRY(FileDescriptor fd, open_fd(m_path, O_RDWR | O_APPEND | O_CREAT, 0600));
    if (::fchmod(fd.get(), 0600) != 0) {
        return io_error("chmod", m_path, errno);
    }
    WILDCERT_TRY(const bool cut_short, ends_mid_line(fd.get(), m_path));
    if (cut_short) {
        lines.insert(lines.begin(), '\n');
    }
    WILDCERT_CHECK(write_all(fd.get(), lines, m_path));
    WILDCERT_CHECK(sync_fd(fd.get(), m_path));
    WILDCERT_CHECK(fd.close(m_path));
    // The file may be new: its folder entry must survive a crash as well.
    return sync_dir(m_path.parent_path());
}

Result<void> CleanupJournal::forget(std::span<const TxtRecord> records) {
    WILDCERT_TRY(std::vector<TxtRecord> remaining, pending());
    const auto forgotten = [&](const TxtRecord& record) {
        return std::find(records.begin(), records.end(), record) != records.end();
    };
    const auto removed = std::remove_if(remaining.begin(), remaining.end(), forgotten);
    if (removed == remaining.end()) {
        return {}; // nothing to strike out; leave the file (and any partial line) alone
    }
    remaining.erase(removed, remaining.end());
    if (remaining.empty()) {
        return remove_file(m_path);
    }
    std::string text;
    for (const TxtRecord& record : remaining) {
        WILDCERT_TRY(const std::string line, format_journal_line(record));
        text += line;
    }
    return write_file_atomically(m_path, text, k_private_file);
}

} // namespace wildcert::store
