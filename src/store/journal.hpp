#pragma once
// The cleanup journal: every TXT record is written here before it is added, and struck out
// after it is removed, so the next run can remove what a crashed run left behind.
//
// Several runs may share one state directory at once (`renew` from a timer while an operator
// runs `issue`), so each run keeps its own file and proves it is alive with a lock:
//   <journal_dir>/<FNV-1a 64 hex of key>/<run>.txt    the run's records (format:
//   journal_format.hpp) <journal_dir>/<FNV-1a 64 hex of key>/<run>.lock   flock held for as long as
//   the run lives
// A run's file whose lock can be taken belongs to a run that ended (or was killed): its records
// are leftovers. Records of a live run are never touched by another. A file from before
// per-run journals (<journal_dir>/<hex>.txt) counts as left by an ended run.
// <journal_dir> is <state>/journal, reached through the state directory's descriptor
// (folder.hpp). Files are 0600 in 0700 folders.

#include "store/file_lock.hpp"
#include "store/folder.hpp"

#include <wildcert/dns_provider.hpp>
#include <wildcert/result.hpp>

#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace wildcert::store {

class CleanupJournal {
public:
    // One journal per (profile, provider) pair, so a run only cleans up records that its own
    // provider configuration can remove. `key` identifies the pair (any text; hashed).
    // `state_root` is the state directory. Writes nothing: the folders and files appear with
    // the first record().
    [[nodiscard]] static Result<CleanupJournal> open(const Folder& state_root,
                                                     const std::string& key);

    // The folder of this journal inside <state>/journal (named by the hashed key).
    [[nodiscard]] const std::string& folder_name() const { return m_id; }

    CleanupJournal(CleanupJournal&&) noexcept = default;
    CleanupJournal& operator=(CleanupJournal&&) noexcept = default;
    ~CleanupJournal(); // drops this run's lock (and its file's lock file once the file is gone)

    // Records of this run and of ended runs that are not yet known to be removed, without
    // duplicates; a line cut short by a crash is skipped. Records of other live runs are not
    // included.
    [[nodiscard]] Result<std::vector<TxtRecord>> pending() const;
    // Durably appends to this run's file before the provider adds them (fsync).
    [[nodiscard]] Result<void> record(std::span<const TxtRecord> records);
    // Strikes these records from this run's file and from ended runs' files after the provider
    // removed them; each file is rewritten atomically and deleted once empty. Idempotent.
    [[nodiscard]] Result<void> forget(std::span<const TxtRecord> records);
    // Strikes these records from this run's file only, after the provider refused to add
    // them (nothing reached the server). An ended run's copy of the same record stays: that
    // run may have added it. Idempotent.
    [[nodiscard]] Result<void> withdraw(std::span<const TxtRecord> records);

private:
    CleanupJournal(Folder state_root, std::string id, std::string run)
        : m_root(std::move(state_root)), m_id(std::move(id)), m_run(std::move(run)) {}

    struct File {
        Folder folder;
        std::string name;
        std::optional<FileLock> lock; // an ended run's lock, held while we read and rewrite
        bool own = false;             // this run's own file
    };
    // This run's file (when it exists) and every ended run's file, their locks held.
    [[nodiscard]] Result<std::vector<File>> readable_files() const;
    [[nodiscard]] std::string own_file() const { return m_run + ".txt"; }
    [[nodiscard]] Result<void> strike(std::span<const TxtRecord> records, bool own_only);

    Folder m_root;
    std::string m_id;               // the hashed key: <journal_dir>/<id>/
    std::string m_run;              // this run's file name, without ".txt"
    std::optional<FileLock> m_lock; // taken by the first record(), in <journal_dir>/<id>/
};

} // namespace wildcert::store
