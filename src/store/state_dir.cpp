#include "store/state_dir.hpp"

#include "store/account_file.hpp"
#include "store/atomic_file.hpp"
#include "store/certificate_name.hpp"
#include "store/posix_io.hpp"
#include "store/stable_id.hpp"

#include <array>
#include <cerrno>
#include <charconv>
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

Result<std::filesystem::path> first_free(const std::filesystem::path& folder,
                                         const std::string& prefix, const std::string& suffix) {
    for (int n = 1; n <= k_max_numbered_files; ++n) {
        const auto candidate = folder / (prefix + std::to_string(n) + suffix);
        std::error_code ec;
        if (!std::filesystem::exists(std::filesystem::symlink_status(candidate, ec)))
            return candidate;
    }
    return make_error(ErrorKind::io,
                      "no free name " + prefix + "<n>" + suffix + " in " + folder.string());
}

} // namespace

Result<StateDir> StateDir::open(const std::filesystem::path& root) {
    const Result<void> created = create_private_dirs(root);
    if (!created.ok()) {
        return created.error().with_context("state folder");
    }
    return StateDir(root);
}

std::filesystem::path StateDir::account_dir(const std::string& directory_url,
                                            const std::string& eab_key_id) const {
    return m_root / "accounts" / account_id(directory_url, eab_key_id);
}

Result<std::optional<StoredAccount>> StateDir::load_account(const std::string& directory_url,
                                                            const std::string& eab_key_id) const {
    const std::filesystem::path dir = account_dir(directory_url, eab_key_id);
    WILDCERT_TRY(std::optional<std::string> key_pem, read_file_if_exists(dir / k_account_key_file));
    if (!key_pem) {
        return std::optional<StoredAccount>{};
    }
    WILDCERT_TRY(std::optional<std::string> info_text,
                 read_file_if_exists(dir / k_account_info_file));
    StoredAccount account{std::move(*key_pem), {}};
    if (info_text) {
        const AccountInfo info = parse_account_info(*info_text);
        // The folder name is a 64-bit hash: a different recorded URL means a collision or a
        // hand-edited folder, and using that key would register with the wrong CA.
        if (!info.directory_url.empty() && info.directory_url != directory_url) {
            return make_error(ErrorKind::io, "account folder " + dir.string() +
                                                 " belongs to directory " + info.directory_url +
                                                 ", not " + directory_url);
        }
        if (info.eab_key_id != eab_key_id) {
            return make_error(ErrorKind::io, "account folder " + dir.string() +
                                                 " belongs to EAB key id '" + info.eab_key_id +
                                                 "', not '" + eab_key_id + "'");
        }
        account.url = info.account_url;
    }
    return std::optional<StoredAccount>(std::move(account));
}

Result<void> StateDir::save_account(const std::string& directory_url, const StoredAccount& account,
                                    const std::string& eab_key_id) const {
    const std::filesystem::path dir = account_dir(directory_url, eab_key_id);
    WILDCERT_TRY(const std::string info_text,
                 format_account_info(AccountInfo{directory_url, account.url, eab_key_id}));
    WILDCERT_CHECK(create_private_dirs(dir));
    // The key goes first: an info file without a key reads as "no account", never the reverse.
    WILDCERT_CHECK(
        write_file_atomically(dir / k_account_key_file, account.key_pem, k_private_file));
    return write_file_atomically(dir / k_account_info_file, info_text, k_private_file);
}

Result<void> StateDir::save_next_account_key(const std::string& directory_url,
                                             const std::string& eab_key_id,
                                             const std::string& key_pem) const {
    const std::filesystem::path dir = account_dir(directory_url, eab_key_id);
    return write_file_atomically(dir / k_next_account_key_file, key_pem, k_private_file);
}

Result<void> StateDir::commit_next_account_key(const std::string& directory_url,
                                               const std::string& eab_key_id) const {
    const std::filesystem::path dir = account_dir(directory_url, eab_key_id);
    WILDCERT_TRY(const std::string old_key, read_file(dir / k_account_key_file));
    WILDCERT_TRY(const std::filesystem::path backup, first_free(dir, "previous-", ".key"));
    WILDCERT_CHECK(write_file_atomically(backup, old_key, k_private_file));
    std::error_code ec;
    std::filesystem::rename(dir / k_next_account_key_file, dir / k_account_key_file, ec);
    if (ec) {
        return make_error(ErrorKind::io, "account key: rename " +
                                             (dir / k_next_account_key_file).string() + ": " +
                                             ec.message());
    }
    return sync_dir(dir);
}

void StateDir::drop_next_account_key(const std::string& directory_url,
                                     const std::string& eab_key_id) const {
    std::error_code ignored;
    std::filesystem::remove(account_dir(directory_url, eab_key_id) / k_next_account_key_file,
                            ignored);
}

Result<std::filesystem::path> StateDir::retire_account(const std::string& directory_url,
                                                       const std::string& eab_key_id) const {
    const std::filesystem::path dir = account_dir(directory_url, eab_key_id);
    const std::filesystem::path retired = m_root / "retired-accounts";
    WILDCERT_CHECK(create_private_dirs(retired));
    WILDCERT_TRY(const std::filesystem::path target,
                 first_free(retired, dir.filename().string() + ".", ""));
    std::error_code ec;
    std::filesystem::rename(dir, target, ec);
    if (ec)
        return make_error(ErrorKind::io,
                          "retire account folder " + dir.string() + ": " + ec.message());
    WILDCERT_CHECK(sync_dir(dir.parent_path()));
    return target;
}

std::filesystem::path StateDir::live_dir(const std::string& name) const {
    return m_root / "live" / name;
}

Result<std::optional<std::string>> StateDir::current_private_key(const std::string& name) const {
    WILDCERT_CHECK(check_certificate_name(name));
    return read_file_if_exists(live_dir(name) / "privkey.pem");
}

Result<std::optional<std::string>> StateDir::current_certificate(const std::string& name) const {
    WILDCERT_CHECK(check_certificate_name(name));
    return read_file_if_exists(live_dir(name) / "cert.pem");
}

Result<std::optional<unsigned long>> StateDir::current_version(const std::string& name) const {
    WILDCERT_CHECK(check_certificate_name(name));
    const std::filesystem::path live = live_dir(name);
    std::array<char, 4096> buffer{};
    const ssize_t length = ::readlink(live.c_str(), buffer.data(), buffer.size() - 1);
    if (length < 0) {
        if (errno == ENOENT)
            return std::optional<unsigned long>();
        return io_error("read symlink", live, errno);
    }
    const std::string target(buffer.data(), static_cast<std::size_t>(length));
    const std::string version = std::filesystem::path(target).filename().string();
    unsigned long number = 0;
    const char* end = version.data() + version.size();
    if (version.empty() || std::from_chars(version.data(), end, number).ptr != end)
        return make_error(ErrorKind::io, live.string() + " points at " + target +
                                             ", which is not an archive version");
    return std::optional<unsigned long>(number);
}

Result<std::optional<std::string>> StateDir::current_info(const std::string& name) const {
    WILDCERT_CHECK(check_certificate_name(name));
    return read_file_if_exists(live_dir(name) / "info.txt");
}

Result<std::optional<std::string>> StateDir::load_status(const std::string& name) const {
    WILDCERT_CHECK(check_certificate_name(name));
    return read_file_if_exists(m_root / "status" / (name + ".txt"));
}

Result<void> StateDir::save_status(const std::string& name, const std::string& text) const {
    WILDCERT_CHECK(check_certificate_name(name));
    WILDCERT_CHECK(create_private_dirs(m_root / "status"));
    return write_file_atomically(m_root / "status" / (name + ".txt"), text, k_private_file);
}

std::filesystem::path StateDir::certificate_lock(const std::string& name) const {
    return m_root / "locks" / (name + ".lock");
}

std::filesystem::path StateDir::account_lock() const {
    return m_root / "locks" / "account.lock";
}

Result<void> StateDir::create_lock_dir() const {
    return create_private_dirs(m_root / "locks");
}

} // namespace wildcert::store
