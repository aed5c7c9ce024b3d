#include "store/state_dir.hpp"

#include "store/account_file.hpp"
#include "store/atomic_file.hpp"
#include "store/certificate_name.hpp"
#include "store/stable_id.hpp"

namespace wildcert::store {

namespace {

using std::filesystem::perms;

constexpr perms k_private_file = perms::owner_read | perms::owner_write; // 0600
constexpr const char* k_account_key_file = "account.key";
constexpr const char* k_account_info_file = "account.txt";

std::filesystem::path account_dir(const std::filesystem::path& root,
                                  const std::string& directory_url) {
    return root / "accounts" / directory_id(directory_url);
}

} // namespace

Result<StateDir> StateDir::open(const std::filesystem::path& root) {
    const Result<void> created = create_private_dirs(root);
    if (!created.ok()) {
        return created.error().with_context("state folder");
    }
    return StateDir(root);
}

Result<std::optional<StoredAccount>>
StateDir::load_account(const std::string& directory_url) const {
    const std::filesystem::path dir = account_dir(m_root, directory_url);
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
        account.url = info.account_url;
    }
    return std::optional<StoredAccount>(std::move(account));
}

Result<void> StateDir::save_account(const std::string& directory_url,
                                    const StoredAccount& account) const {
    const std::filesystem::path dir = account_dir(m_root, directory_url);
    WILDCERT_TRY(const std::string info_text,
                 format_account_info(AccountInfo{directory_url, account.url}));
    WILDCERT_CHECK(create_private_dirs(dir));
    // The key goes first: an info file without a key reads as "no account", never the reverse.
    WILDCERT_CHECK(
        write_file_atomically(dir / k_account_key_file, account.key_pem, k_private_file));
    return write_file_atomically(dir / k_account_info_file, info_text, k_private_file);
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

} // namespace wildcert::store
