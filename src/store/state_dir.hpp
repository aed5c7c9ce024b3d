#pragma once
// The state directory (docs/dev/architecture.md §6):
//   accounts/<account-id>/{account.key, account.txt, previous-<n>.key}
//       <account-id> is "<host>-<FNV-1a 64 hex of the directory URL>", plus "-eab-<hex>" for
//       an External Account Binding key id (stable_id.hpp); account.txt holds "directory=",
//       "url=" and "eab_key_id=" lines (account_file.hpp); previous-<n>.key are the keys
//       replaced by key rollovers, kept as a backup.
//   retired-accounts/<account-id>.<n>/   deactivated accounts, moved out of the way
//   archive/<name>/<version>/{privkey,cert,chain,fullchain}.pem   versions 1, 2, 3...
//   live/<name> -> ../archive/<name>/<version>   (symlink swapped atomically)
//   status/<name>.txt                             certificate_record.hpp
//   (live/<name>, archive/<name>/ and status/<name>.txt are a certificate's lineage, which
//   remove_lineage deletes; its lock file stays, as every shared lock name does)
//   journal/<id>/<run>.txt                        cleanup journal, see journal.hpp
//   locks/cert-<name>.lock, locks/account-<account-id>.lock   file_lock.hpp
//   audit.log                                     audit_log.hpp
//   dry-run/run-<pid>/                            a dry run's scratch state directory
// Every folder is created 0700 and private keys are written 0600; the other PEM files are
// 0644 (readable through live/ only by those who may enter the 0700 folders).
// Everything is reached through the root's descriptor without following symlinks, and every
// folder must belong to the user running wildcert (folder.hpp); open() checks the top level
// before anything else happens, so a planted link fails the run at once.

#include "store/file_lock.hpp"
#include "store/folder.hpp"

#include <wildcert/result.hpp>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace wildcert::store {

struct StoredAccount {
    std::string key_pem; // a secret
    std::string url;     // "" until the CA has given the account URL
};

// What the state directory holds of one certificate (`wildcert delete` removes exactly this).
struct CertificateLineage {
    std::optional<std::filesystem::path> live;    // live/<name>, the symlink
    std::optional<std::filesystem::path> archive; // archive/<name>/
    std::size_t versions = 0;                     // version folders in archive/<name>/
    std::optional<std::filesystem::path> status;  // status/<name>.txt
    [[nodiscard]] bool empty() const { return !live && !archive && !status; }
};

struct CertificateFiles {
    std::string privkey_pem; // a secret
    std::string cert_pem;    // leaf
    std::string chain_pem;   // intermediates
    std::string fullchain_pem;
    std::string info_txt; // certificate_record.hpp; written as info.txt when not empty
};

class StateDir {
public:
    // Creates the folder (0700) when missing, checks it and its top-level entries (folder.hpp:
    // symlinks and folders of other users refused, group- or world-writable folders of this
    // user repaired).
    [[nodiscard]] static Result<StateDir> open(const std::filesystem::path& root);
    // dry-run/run-<pid> (created) as a state directory of its own, for a dry run's scratch
    // work; remove_scratch deletes it (without following any link in it). A killed dry run's
    // folder is removed by the stale-file sweep (stale_files.hpp).
    [[nodiscard]] Result<StateDir> open_scratch() const;
    [[nodiscard]] Result<void> remove_scratch() const;

    [[nodiscard]] const std::filesystem::path& root() const { return m_root.path(); }
    [[nodiscard]] const Folder& folder() const { return m_root; }
    // What open() repaired ("<path> was writable by group or others (0777); set to 0700").
    [[nodiscard]] const std::vector<std::string>& repairs() const { return m_repairs; }

    // A copy for a pass of reads over many certificates (a renewal's select stage reads three
    // files of each): live/, archive/ and status/ are opened once here, not once per read.
    // It sees those folders as they were when it was made: one created later stays absent to
    // it, so it is for reading only, and for as long as one pass.
    [[nodiscard]] Result<StateDir> for_reading() const;

    // Accounts are kept per (directory URL, EAB key id): one state folder serves several CAs,
    // several endpoints of one CA and several customer bindings of one endpoint. An empty key
    // id is the account without binding (the folder name from before EAB existed).
    // load_account gives nullopt when no key is stored, and fails when the folder records
    // another URL or key id. save_account is idempotent and overwrites (it is also how the
    // account URL is added).
    [[nodiscard]] Result<std::optional<StoredAccount>>
    load_account(const std::string& directory_url, const std::string& eab_key_id = {}) const;
    [[nodiscard]] Result<void> save_account(const std::string& directory_url,
                                            const StoredAccount& account,
                                            const std::string& eab_key_id = {}) const;
    [[nodiscard]] std::filesystem::path account_dir(const std::string& directory_url,
                                                    const std::string& eab_key_id = {}) const;

    // Key rollover, in two steps around the CA's answer. save_next_account_key writes the new
    // key next to the current one (account.key.next, 0600) before the CA sees it, so a crash
    // cannot lose a key the CA already switched to. commit_next_account_key then keeps the
    // current key as previous-<n>.key and renames the new one over account.key (atomic);
    // drop_next_account_key removes it when the CA refused.
    [[nodiscard]] Result<void> save_next_account_key(const std::string& directory_url,
                                                     const std::string& eab_key_id,
                                                     const std::string& key_pem) const;
    [[nodiscard]] Result<void> commit_next_account_key(const std::string& directory_url,
                                                       const std::string& eab_key_id) const;
    void drop_next_account_key(const std::string& directory_url,
                               const std::string& eab_key_id) const;

    // Moves a (deactivated) account's folder to retired-accounts/, so that the next run
    // creates a new account instead of failing with the old one forever. Returns where it went.
    [[nodiscard]] Result<std::filesystem::path> retire_account(const std::string& directory_url,
                                                               const std::string& eab_key_id) const;

    // The folder users point their servers at: <root>/live/<name>.
    [[nodiscard]] std::filesystem::path live_dir(const std::string& name) const;
    // The current private key of a certificate, for reuse_key; nullopt when none.
    // `name` must pass check_certificate_name (certificate_name.hpp), here and in install().
    [[nodiscard]] Result<std::optional<std::string>>
    current_private_key(const std::string& name) const;
    // The current leaf certificate (live/<name>/cert.pem), for ARI "replaces"; nullopt when none.
    [[nodiscard]] Result<std::optional<std::string>>
    current_certificate(const std::string& name) const;
    // Writes a new version under archive/ and then switches live/<name> to it in one rename,
    // so readers see the old complete set or the new complete set, never a mix. Returns
    // live_dir(name). Fails, touching nothing, when live/<name> is a real folder or file
    // rather than a symlink. Not idempotent: each call adds a version.
    [[nodiscard]] Result<std::filesystem::path> install(const std::string& name,
                                                        const CertificateFiles& files) const;

    // The PEM files of the live version ("" for a missing one; all "" without a certificate).
    [[nodiscard]] Result<CertificateFiles> current_files(const std::string& name) const;

    // The archive version live/<name> points at; nullopt when there is no live certificate.
    [[nodiscard]] Result<std::optional<unsigned long>>
    current_version(const std::string& name) const;
    // live/<name>/info.txt; nullopt when missing (no certificate, or one from before info.txt).
    [[nodiscard]] Result<std::optional<std::string>> current_info(const std::string& name) const;
    // `file` of archive/<name>/<version>/, which current_version gave: one readlink for a
    // version and its files, and no mix of two versions.
    [[nodiscard]] Result<std::optional<std::string>>
    version_file(const std::string& name, unsigned long version, const char* file) const;
    // status/<name>.txt (certificate_record.hpp); nullopt when missing. save_status writes it
    // atomically (0600).
    [[nodiscard]] Result<std::optional<std::string>> load_status(const std::string& name) const;
    [[nodiscard]] Result<void> save_status(const std::string& name, const std::string& text) const;

    // The certificates under live/: the names of its symlinks, sorted. Entries that are not
    // certificate names (a killed run's temporary link, a file of someone else's) are left out.
    [[nodiscard]] Result<std::vector<std::string>> certificate_names() const;
    // What exists of the certificate's lineage (certificate_lineage.cpp); empty when nothing.
    [[nodiscard]] Result<CertificateLineage> lineage(const std::string& name) const;
    // Removes the lineage: live/<name> first (the link itself, never what it points at), then
    // archive/<name>/ and status/<name>.txt, each reached without following a symlink. A
    // live/<name> that is not a symlink, or an archive/<name> that is not a real folder, is
    // refused before anything is removed. Idempotent: what is already gone is skipped, so a
    // removal that stopped half way is finished by the next call. The caller holds
    // certificate_lock(name).
    [[nodiscard]] Result<void> remove_lineage(const std::string& name) const;

    // locks/cert-<name>.lock: the flock that keeps two runs off one certificate
    // (file_lock.hpp). locks/account-<account-id>.lock: held while that account is found or
    // created. The prefixes keep the two kinds apart whatever a certificate is called; lock
    // files of older versions (locks/<name>.lock, locks/account.lock) are never opened.
    // Both create locks/ (0700) when missing.
    [[nodiscard]] Result<LockFile> certificate_lock(const std::string& name) const;
    [[nodiscard]] Result<LockFile> account_lock(const std::string& directory_url,
                                                const std::string& eab_key_id) const;

    // Appends one line to audit.log (audit_log.hpp).
    [[nodiscard]] Result<void> append_audit(const std::string& line) const;

private:
    StateDir(Folder root, std::vector<std::string> repairs)
        : m_root(std::move(root)), m_repairs(std::move(repairs)) {}
    // accounts/<account-id>, created or not; nullopt only without Create::yes when missing.
    [[nodiscard]] Result<std::optional<Folder>> account_folder(const std::string& directory_url,
                                                               const std::string& eab_key_id,
                                                               Create create) const;
    // The archive version folder live/<name> points at; nullopt without a live certificate.
    [[nodiscard]] Result<std::optional<Folder>> live_version(const std::string& name) const;
    [[nodiscard]] Result<std::optional<Folder>> version_folder(const std::string& name,
                                                               unsigned long version) const;
    // live/, archive/ or status/: the one held by for_reading(), else opened now.
    [[nodiscard]] Result<std::optional<Folder>> top(const char* name) const;
    [[nodiscard]] Result<std::optional<std::string>> read_live(const std::string& name,
                                                               const char* file) const;

    Folder m_root;
    std::vector<std::string> m_repairs;
    // Set by for_reading(); live/, archive/, status/ as they were then.
    struct HeldFolders {
        std::optional<Folder> live, archive, status;
    };
    std::shared_ptr<const HeldFolders> m_held;
};

// The folders and files a state directory holds at its top level (the layout above).
[[nodiscard]] const std::vector<std::string>& state_dir_folders();
constexpr const char* k_audit_log_file = "audit.log";

} // namespace wildcert::store
