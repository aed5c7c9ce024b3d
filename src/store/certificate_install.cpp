// StateDir::install: a new version folder under archive/, then one atomic symlink swap in live/.
#include "store/state_dir.hpp"

#include "store/atomic_file.hpp"
#include "store/certificate_name.hpp"
#include "store/posix_io.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <fcntl.h>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>

namespace wildcert::store {

namespace {

using std::filesystem::perms;

constexpr perms k_private_file = perms::owner_read | perms::owner_write;                 // 0600
constexpr perms k_public_file = k_private_file | perms::group_read | perms::others_read; // 0644
// Version numbers are decimal folder names; longer names are not ours and are skipped.
constexpr std::size_t k_max_version_digits = 9;
// Another process may publish the same version number at the same moment: try the next one.
constexpr int k_version_attempts = 8;

// 0 when the folder does not exist yet or holds no version.
Result<unsigned long> highest_version(const std::filesystem::path& archive) {
    std::error_code error;
    std::filesystem::directory_iterator it(archive, error);
    if (error) {
        if (error == std::errc::no_such_file_or_directory) {
            return 0UL;
        }
        return io_error("list", archive, error.value());
    }
    unsigned long highest = 0;
    for (; it != std::filesystem::directory_iterator(); it.increment(error)) {
        const std::string name = it->path().filename().string();
        unsigned long number = 0;
        const char* end = name.data() + name.size();
        if (name.empty() || name.size() > k_max_version_digits ||
            std::from_chars(name.data(), end, number).ptr != end) {
            continue;
        }
        highest = std::max(highest, number);
    }
    if (error) {
        return io_error("list", archive, error.value());
    }
    return highest;
}

// A folder beside the versions to write the new one into. Its name is a temporary name
// ("version.tmp-<pid>-<random>"), so a run killed while writing leaves something the next run
// recognises as stale and removes (stale_files.hpp), never a half-filled version.
Result<std::filesystem::path> create_staging_dir(const std::filesystem::path& archive) {
    const std::filesystem::path dir =
        archive / ("version.tmp-" + std::to_string(::getpid()) + "-" + random_suffix());
    if (::mkdir(dir.c_str(), 0700) != 0) {
        return io_error("create staging folder", dir, errno);
    }
    if (::chmod(dir.c_str(), 0700) != 0) {
        return io_error("chmod", dir, errno);
    }
    return dir;
}

// Renames the complete staging folder to the next free version number. RENAME_NOREPLACE makes
// the name claim atomic: another run publishing at the same moment gets EEXIST and this one
// takes the next number. Filesystems without it (EINVAL) get the number reserved by mkdir and
// the staging folder renamed over that empty folder, which rename(2) allows.
Result<std::filesystem::path> publish_version(const std::filesystem::path& archive,
                                              const std::filesystem::path& staging) {
    WILDCERT_TRY(unsigned long version, highest_version(archive));
    for (int attempt = 0;; ++attempt) {
        ++version;
        const std::filesystem::path dir = archive / std::to_string(version);
        if (::renameat2(AT_FDCWD, staging.c_str(), AT_FDCWD, dir.c_str(), RENAME_NOREPLACE) == 0) {
            return dir;
        }
        int err = errno;
        if (err == EINVAL || err == ENOSYS) {
            if (::mkdir(dir.c_str(), 0700) == 0) {
                if (::rename(staging.c_str(), dir.c_str()) == 0) {
                    return dir;
                }
                err = errno;
                ::rmdir(dir.c_str());
                return io_error("publish version folder", dir, err);
            }
            err = errno;
        }
        if (err != EEXIST || attempt + 1 >= k_version_attempts) {
            return io_error("publish version folder", dir, err);
        }
    }
}

Result<void> write_version(const std::filesystem::path& dir, const CertificateFiles& files) {
    WILDCERT_CHECK(write_file_atomically(dir / "privkey.pem", files.privkey_pem, k_private_file));
    WILDCERT_CHECK(write_file_atomically(dir / "cert.pem", files.cert_pem, k_public_file));
    WILDCERT_CHECK(write_file_atomically(dir / "chain.pem", files.chain_pem, k_public_file));
    WILDCERT_CHECK(
        write_file_atomically(dir / "fullchain.pem", files.fullchain_pem, k_public_file));
    if (!files.info_txt.empty()) {
        WILDCERT_CHECK(write_file_atomically(dir / "info.txt", files.info_txt, k_public_file));
    }
    return sync_dir(dir);
}

// live/<name> must be absent or a symlink; a real folder there is someone else's data.
Result<void> check_live_entry(const std::filesystem::path& live) {
    struct stat info {};
    if (::lstat(live.c_str(), &info) != 0) {
        if (errno == ENOENT) {
            return {};
        }
        return io_error("inspect", live, errno);
    }
    if (S_ISLNK(info.st_mode)) {
        return {};
    }
    return make_error(ErrorKind::io, live.string() +
                                         " exists and is not a symlink made by wildcert; move it "
                                         "away (wildcert will not delete it)");
}

// Creates a symlink next to `live` and renames it over `live`: rename(2) replaces the old
// symlink atomically, so a reader never finds live/<name> missing.
Result<void> swap_symlink(const std::filesystem::path& live, const std::filesystem::path& target) {
    std::filesystem::path temp = live;
    temp.replace_filename(live.filename().string() + ".tmp-" + std::to_string(::getpid()) + "-" +
                          random_suffix());
    if (::symlink(target.c_str(), temp.c_str()) != 0) {
        return io_error("create symlink", temp, errno);
    }
    if (::rename(temp.c_str(), live.c_str()) != 0) {
        const int err = errno;
        ::unlink(temp.c_str());
        return io_error("switch", live, err);
    }
    return sync_dir(live.parent_path());
}

} // namespace

Result<std::filesystem::path> StateDir::install(const std::string& name,
                                                const CertificateFiles& files) const {
    WILDCERT_CHECK(check_certificate_name(name));
    const std::filesystem::path archive = m_root / "archive" / name;
    const std::filesystem::path live = live_dir(name);
    const std::string context = "install certificate " + name;

    const auto with_context = [&](const Error& error) { return error.with_context(context); };
    if (const Result<void> checked = check_live_entry(live); !checked.ok()) {
        return with_context(checked.error());
    }
    if (const Result<void> made = create_private_dirs(archive); !made.ok()) {
        return with_context(made.error());
    }
    if (const Result<void> made = create_private_dirs(live.parent_path()); !made.ok()) {
        return with_context(made.error());
    }
    Result<std::filesystem::path> staging = create_staging_dir(archive);
    if (!staging.ok()) {
        return with_context(staging.error());
    }
    // A half-written version must never appear under a version number; the staging folder is
    // ours, so a failure removes it.
    const auto discard_staging = [&staging] {
        std::error_code ignored;
        std::filesystem::remove_all(*staging, ignored);
    };
    if (const Result<void> written = write_version(*staging, files); !written.ok()) {
        discard_staging();
        return with_context(written.error());
    }
    Result<std::filesystem::path> version = publish_version(archive, *staging);
    if (!version.ok()) {
        discard_staging();
        return with_context(version.error());
    }
    const std::filesystem::path version_dir = *version;
    // The new version folder's entry in archive/<name> must be durable before live/ names it.
    if (const Result<void> synced = sync_dir(archive); !synced.ok()) {
        return with_context(synced.error());
    }
    const std::filesystem::path target =
        std::filesystem::path("..") / "archive" / name / version_dir.filename();
    if (const Result<void> swapped = swap_symlink(live, target); !swapped.ok()) {
        return with_context(swapped.error());
    }
    return live;
}

} // namespace wildcert::store
