#pragma once
// The cleanup journal: every TXT record is written here before it is added, and struck out
// after it is removed, so the next run can remove what a crashed run left behind.
// File: <journal_dir>/<FNV-1a 64 hex of key>.txt, format in journal_format.hpp, mode 0600 in
// a 0700 folder. It is not a lock: only one run at a time may use a given journal.

#include <wildcert/dns_provider.hpp>
#include <wildcert/result.hpp>

#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace wildcert::store {

class CleanupJournal {
public:
    // One journal per (profile, provider) pair, so a run only cleans up records that its own
    // provider configuration can remove. `key` identifies the pair (any text; hashed).
    // Writes nothing: the folder and file appear with the first record().
    [[nodiscard]] static Result<CleanupJournal> open(const std::filesystem::path& journal_dir,
                                                     const std::string& key);

    // Records left by earlier runs (or this one) that are not yet known to be removed, without
    // duplicates; a line cut short by a crash is skipped.
    [[nodiscard]] Result<std::vector<TxtRecord>> pending() const;
    // Durably appends before the provider adds them (fsync).
    [[nodiscard]] Result<void> record(std::span<const TxtRecord> records);
    // Drops these records after the provider removed them; the file is rewritten atomically,
    // and deleted once nothing is left. Idempotent.
    [[nodiscard]] Result<void> forget(std::span<const TxtRecord> records);

private:
    explicit CleanupJournal(std::filesystem::path path) : m_path(std::move(path)) {}
    std::filesystem::path m_path;
};

} // namespace wildcert::store
