#include "store/state_dir.hpp"

#include "store/account_file.hpp"
#include "store/atomic_file.hpp"
#include "store/audit_log.hpp"
#include "store/certificate_name.hpp"
#include "store/posix_io.hpp"
#include "store/stable_id.hpp"
#include "store/stale_files.hpp"

#include <array>
#include <cerrno>
#include <charconv>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace wildcert::store {

namespace {

using std::filesystem::perms;

constexpr perms k_private_file = perms::owner_read | perms::owner_write; // 0600
constexpr const char* k_account_key_file = "account.key";
constexpr const char* k_account_info_file = "account.txt";
constexpr const char* k_next_account_key_file = "account.key.next";
// Far more than anyone rolls over or deactivates by hand; bounds the search for a free name.
constexpr int k_max_numbered_files = 10'000;

bool entry_exists(const Folder& folder, const std::string& name) {
    struct stat info {};
    return ::fstatat(folder.fd(), name.c_str(), &info, AT_SYMLINK_NOFOLLOW) == 0;
}

Result<std::string> first_free(const Folder& folder, const std::string& prefix,
                               const std::string& suffix) {
    for (int n = 1; n <= k_max_numbered_files; ++n) {
        std::string candidate = prefix + std::to_string(n) + suffix;
        if (!entry_exists(folder, candidate))
            return candidate;
    }
    return make_error(ErrorKind::io,
                      "no free name " + prefix + "<n>" + suffix + " in " + folder.path().string());
}

// The top-level file must be a regular file when it exists (audit.log): a link would make
// every run append wherever it points.
Result<void> check_top_level_file(const Folder& root, const std::string& name) {
    struct stat info {};
    if (::fstatat(root.fd(), name.c_str(), &info, AT_SYMLINK_NOFOLLOW) != 0)
        return errno == ENOENT ? Result<void>() : io_error("inspect", root / name, errno);
    if (S_ISREG(info.st_mode))
        return {};
    return make_error(ErrorKind::io,
                      (root / name).string() +
                          (S_ISLNK(info.st_mode)
                               ? " is a symbolic link; wildcert does not follow links in the "
                                 "state directory (remove it)"
                               : " is not a regular file; move it away"));
}

// "../archive/<name>/<version>", as install() writes it; nullopt for anything else.
std::optional<unsigned long> version_of_target(const std::string& target, const std::string& name) {
    const std::string prefix = "../archive/" + name + "/";
    if (!target.starts_with(prefix))
        return std::nullopt;
    const std::string_view digits = std::string_view(target).substr(prefix.size());
    unsigned long number = 0;
    const char* end = digits.data() + digits.size();
    if (digits.empty() || std::from_chars(digits.data(), end, number).ptr != end)
        return std::nullopt;
    return number;
}

} // namespace

const std::vector<std::string>& state_dir_folders() {
    static const std::vector<std::string> folders{
        "accounts", "retired-accounts", "archive", "live", "status", "journal", "locks", "dry-run"};
    return folders;
}

Result<StateDir> StateDir::open(const std::filesystem::path& root) {
    std::vector<std::string> repairs;
    Result<Folder> opened = Folder::open_root(root, &repairs);
    if (!opened.ok()) {
        return opened.error().with_context("state folder");
    }
    for (const std::string& name : state_dir_folders()) {
        if (!entry_exists(*opened, name))
            continue;
        if (const auto checked = opened->sub(name, Create::no, &repairs); !checked.ok())
            return checked.error().with_context("state folder");
    }
    if (const auto checked = check_top_level_file(*opened, k_audit_log_file); !checked.ok())
        return checked.error().with_context("state folder");
    return StateDir(std::move(opened).value(), std::move(repairs));
}

Result<StateDir> StateDir::open_scratch() const {
    WILDCERT_TRY(const Folder dry_run, m_root.sub("dry-run", Create::yes));
    WILDCERT_TRY(Folder scratch, dry_run.sub(scratch_name(::getpid()), Create::yes));
    return StateDir(std::move(scratch), {});
}

Result<void> StateDir::remove_scratch() const {
    WILDCERT_TRY(const std::optional<Folder> dry_run, m_root.sub_if_exists("dry-run"));
    if (!dry_run)
        return {};
    WILDCERT_CHECK(dry_run->remove_tree(scratch_name(::getpid())));
    return dry_run->sync();
}

std::filesystem::path StateDir::account_dir(const std::string& directory_url,
                                            const std::string& eab_key_id) const {
    return m_root / "accounts" / account_id(directory_url, eab_key_id);
}

Result<std::optional<Folder>> StateDir::account_folder(const std::string& directory_url,
                                                       const std::string& eab_key_id,
                                                       Create create) const {
    const std::string id = account_id(directory_url, eab_key_id);
    if (create == Create::yes) {
        WILDCERT_TRY(const Folder accounts, m_root.sub("accounts", Create::yes));
        WILDCERT_TRY(Folder folder, accounts.sub(id, Create::yes));
        return std::optional<Folder>(std::move(folder));
    }
    WILDCERT_TRY(const std::optional<Folder> accounts, m_root.sub_if_exists("accounts"));
    if (!accounts)
        return std::optional<Folder>();
    return accounts->sub_if_exists(id);
}

Result<std::optional<StoredAccount>> StateDir::load_account(const std::string& directory_url,
                                                            const std::string& eab_key_id) const {
    WILDCERT_TRY(const std::optional<Folder> dir,
                 account_folder(directory_url, eab_key_id, Create::no));
    if (!dir) {
        return std::optional<StoredAccount>{};
    }
    WILDCERT_TRY(std::optional<std::string> key_pem, read_file_if_exists(*dir, k_account_key_file));
    if (!key_pem) {
        return std::optional<StoredAccount>{};
    }
    WILDCERT_TRY(std::optional<std::string> info_text,
                 read_file_if_exists(*dir, k_account_info_file));
    StoredAccount account{std::move(*key_pem), {}};
    if (info_text) {
        const AccountInfo info = parse_account_info(*info_text);
        // The folder name is a 64-bit hash: a different recorded URL means a collision or a
        // hand-edited folder, and using that key would register with the wrong CA.
        if (!info.directory_url.empty() && info.directory_url != directory_url) {
            return make_error(ErrorKind::io, "account folder " + dir->path().string() +
                                                 " belongs to directory " + info.directory_url +
                                                 ", not " + directory_url);
        }
        if (info.eab_key_id != eab_key_id) {
            return make_error(ErrorKind::io, "account folder " + dir->path().string() +
                                                 " belongs to EAB key id '" + info.eab_key_id +
                                                 "', not '" + eab_key_id + "'");
        }
        account.url = info.account_url;
    }
    return std::optional<StoredAccount>(std::move(account));
}

Result<void> StateDir::save_account(const std::string& directory_url, const StoredAccount& account,
                                    const std::string& eab_key_id) const {
    WILDCERT_TRY(const std::string info_text,
                 format_account_info(AccountInfo{directory_url, account.url, eab_key_id}));
    WILDCERT_TRY(const std::optional<Folder> dir,
                 account_folder(directory_url, eab_key_id, Create::yes));
    // The key goes first: an info file without a key reads as "no account", never the reverse.
    WILDCERT_CHECK(
        write_file_atomically(*dir, k_account_key_file, account.key_pem, k_private_file));
    return write_file_atomically(*dir, k_account_info_file, info_text, k_private_file);
}

Result<void> StateDir::save_next_account_key(const std::string& directory_url,
                                             const std::string& eab_key_id,
                                             const std::string& key_pem) const {
    WILDCERT_TRY(const std::optional<Folder> dir,
                 account_folder(directory_url, eab_key_id, Create::yes));
    return write_file_atomically(*dir, k_next_account_key_file, key_pem, k_private_file);
}

Result<void> StateDir::commit_next_account_key(const std::string& directory_url,
                                               const std::string& eab_key_id) const {
    WILDCERT_TRY(const std::optional<Folder> dir,
                 account_folder(directory_url, eab_key_id, Create::yes));
    WILDCERT_TRY(const std::string old_key, read_file(*dir, k_account_key_file));
    WILDCERT_TRY(const std::string backup, first_free(*dir, "previous-", ".key"));
    WILDCERT_CHECK(write_file_atomically(*dir, backup, old_key, k_private_file));
    if (::renameat(dir->fd(), k_next_account_key_file, dir->fd(), k_account_key_file) != 0) {
        return io_error("account key: rename", *dir / k_next_account_key_file, errno);
    }
    return dir->sync();
}

void StateDir::drop_next_account_key(const std::string& directory_url,
                                     const std::string& eab_key_id) const {
    const auto dir = account_folder(directory_url, eab_key_id, Create::no);
    if (dir.ok() && *dir)
        (void)(*dir)->remove_file(k_next_account_key_file);
}

Result<std::filesystem::path> StateDir::retire_account(const std::string& directory_url,
                                                       const std::string& eab_key_id) const {
    const std::string id = account_id(directory_url, eab_key_id);
    WILDCERT_TRY(const Folder accounts, m_root.sub("accounts", Create::no));
    WILDCERT_TRY(const Folder retired, m_root.sub("retired-accounts", Create::yes));
    WILDCERT_TRY(const std::string target, first_free(retired, id + ".", ""));
    if (::renameat(accounts.fd(), id.c_str(), retired.fd(), target.c_str()) != 0)
        return io_error("retire account folder", accounts / id, errno);
    WILDCERT_CHECK(retired.sync());
    WILDCERT_CHECK(accounts.sync());
    return retired / target;
}

std::filesystem::path StateDir::live_dir(const std::string& name) const {
    return m_root / "live" / name;
}

Result<StateDir> StateDir::for_reading() const {
    auto held = std::make_shared<HeldFolders>();
    WILDCERT_TRY(held->live, m_root.sub_if_exists("live"));
    WILDCERT_TRY(held->archive, m_root.sub_if_exists("archive"));
    WILDCERT_TRY(held->status, m_root.sub_if_exists("status"));
    StateDir copy = *this;
    copy.m_held = std::move(held);
    return copy;
}

Result<std::optional<Folder>> StateDir::top(const char* name) const {
    if (m_held) {
        const std::string_view wanted = name;
        if (wanted == "live")
            return m_held->live;
        if (wanted == "archive")
            return m_held->archive;
        if (wanted == "status")
            return m_held->status;
    }
    return m_root.sub_if_exists(name);
}

Result<std::optional<Folder>> StateDir::version_folder(const std::string& name,
                                                       unsigned long version) const {
    WILDCERT_TRY(const std::optional<Folder> archive, top("archive"));
    if (!archive)
        return std::optional<Folder>();
    WILDCERT_TRY(const std::optional<Folder> versions, archive->sub_if_exists(name));
    if (!versions)
        return std::optional<Folder>();
    return versions->sub_if_exists(std::to_string(version));
}

Result<std::optional<Folder>> StateDir::live_version(const std::string& name) const {
    WILDCERT_TRY(const std::optional<unsigned long> version, current_version(name));
    if (!version)
        return std::optional<Folder>();
    return version_folder(name, *version);
}

Result<std::optional<std::string>> StateDir::read_live(const std::string& name,
                                                       const char* file) const {
    WILDCERT_CHECK(check_certificate_name(name));
    WILDCERT_TRY(const std::optional<Folder> version, live_version(name));
    if (!version)
        return std::optional<std::string>();
    return read_file_if_exists(*version, file);
}

Result<std::optional<std::string>>
StateDir::version_file(const std::string& name, unsigned long version, const char* file) const {
    WILDCERT_CHECK(check_certificate_name(name));
    WILDCERT_TRY(const std::optional<Folder> folder, version_folder(name, version));
    if (!folder)
        return std::optional<std::string>();
    return read_file_if_exists(*folder, file);
}

Result<std::optional<std::string>> StateDir::current_private_key(const std::string& name) const {
    return read_live(name, "privkey.pem");
}

Result<std::optional<std::string>> StateDir::current_certificate(const std::string& name) const {
    return read_live(name, "cert.pem");
}

Result<std::optional<std::string>> StateDir::current_info(const std::string& name) const {
    return read_live(name, "info.txt");
}

Result<CertificateFiles> StateDir::current_files(const std::string& name) const {
    WILDCERT_CHECK(check_certificate_name(name));
    CertificateFiles files;
    // One version folder for the four reads: a renewal switching live/ meanwhile cannot mix
    // two versions.
    WILDCERT_TRY(const std::optional<Folder> version, live_version(name));
    if (!version)
        return files;
    const std::array<std::pair<const char*, std::string*>, 4> wanted{{
        {"privkey.pem", &files.privkey_pem},
        {"cert.pem", &files.cert_pem},
        {"chain.pem", &files.chain_pem},
        {"fullchain.pem", &files.fullchain_pem},
    }};
    for (const auto& [file, into] : wanted) {
        WILDCERT_TRY(std::optional<std::string> text, read_file_if_exists(*version, file));
        *into = std::move(text).value_or(std::string());
    }
    return files;
}

Result<std::optional<unsigned long>> StateDir::current_version(const std::string& name) const {
    WILDCERT_CHECK(check_certificate_name(name));
    const std::filesystem::path live = live_dir(name);
    WILDCERT_TRY(const std::optional<Folder> live_folder, top("live"));
    if (!live_folder)
        return std::optional<unsigned long>();
    std::array<char, 4096> buffer{};
    const ssize_t length =
        ::readlinkat(live_folder->fd(), name.c_str(), buffer.data(), buffer.size() - 1);
    if (length < 0) {
        if (errno == ENOENT)
            return std::optional<unsigned long>();
        if (errno == EINVAL)
            return make_error(ErrorKind::io, live.string() + " is not a symlink made by wildcert");
        return io_error("read symlink", live, errno);
    }
    const std::string target(buffer.data(), static_cast<std::size_t>(length));
    const std::optional<unsigned long> version = version_of_target(target, name);
    if (!version)
        return make_error(ErrorKind::io, live.string() + " points at " + target +
                                             ", which is not an archive version");
    return version;
}

Result<std::optional<std::string>> StateDir::load_status(const std::string& name) const {
    WILDCERT_CHECK(check_certificate_name(name));
    WILDCERT_TRY(const std::optional<Folder> status, top("status"));
    if (!status)
        return std::optional<std::string>();
    return read_file_if_exists(*status, name + ".txt");
}

Result<void> StateDir::save_status(const std::string& name, const std::string& text) const {
    WILDCERT_CHECK(check_certificate_name(name));
    WILDCERT_TRY(const Folder status, m_root.sub("status", Create::yes));
    return write_file_atomically(status, name + ".txt", text, k_private_file);
}

Result<LockFile> StateDir::certificate_lock(const std::string& name) const {
    WILDCERT_CHECK(check_certificate_name(name));
    WILDCERT_TRY(Folder locks, m_root.sub("locks", Create::yes));
    return LockFile{std::move(locks), "cert-" + name + ".lock"};
}

Result<LockFile> StateDir::account_lock(const std::string& directory_url,
                                        const std::string& eab_key_id) const {
    WILDCERT_TRY(Folder locks, m_root.sub("locks", Create::yes));
    return LockFile{std::move(locks), "account-" + account_id(directory_url, eab_key_id) + ".lock"};
}

Result<void> StateDir::append_audit(const std::string& line) const {
    return append_line(m_root, k_audit_log_file, line);
}

} // namespace wildcert::store
