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

// 0 when the folder holds no version.
Result<unsigned long> highest_version(const Folder& archive) {
    WILDCERT_TRY(const std::vector<std::string> names, archive.names());
    unsigned long highest = 0;
    for (const std::string& name : names) {
        unsigned long number = 0;
        const char* end = name.data() + name.size();
        if (name.empty() || name.size() > k_max_version_digits ||
            std::from_chars(name.data(), end, number).ptr != end) {
            continue;
        }
        highest = std::max(highest, number);
    }
    return highest;
}

// A folder beside the versions to write the new one into. Its name is a temporary name
// ("version.tmp-<pid>-<random>"), so a run killed while writing leaves something the next run
// recognises as stale and removes (stale_files.hpp), never a half-filled version.
Result<std::string> create_staging_dir(const Folder& archive) {
    std::string name = "version.tmp-" + std::to_string(::getpid()) + "-" + random_suffix();
    if (::mkdirat(archive.fd(), name.c_str(), 0700) != 0) {
        return io_error("create staging folder", archive / name, errno);
    }
    return name;
}

// Renames the complete staging folder to the next free version number. RENAME_NOREPLACE makes
// the name claim atomic: another run publishing at the same moment gets EEXIST and this one
// takes the next number. Filesystems without it (EINVAL) get the number reserved by mkdir and
// the staging folder renamed over that empty folder, which rename(2) allows.
Result<std::string> publish_version(const Folder& archive, const std::string& staging) {
    WILDCERT_TRY(unsigned long version, highest_version(archive));
    const int fd = archive.fd();
    for (int attempt = 0;; ++attempt) {
        ++version;
        const std::string name = std::to_string(version);
        if (::renameat2(fd, staging.c_str(), fd, name.c_str(), RENAME_NOREPLACE) == 0) {
            return name;
        }
        int err = errno;
        if (err == EINVAL || err == ENOSYS) {
            if (::mkdirat(fd, name.c_str(), 0700) == 0) {
                if (::renameat(fd, staging.c_str(), fd, name.c_str()) == 0) {
                    return name;
                }
                err = errno;
                ::unlinkat(fd, name.c_str(), AT_REMOVEDIR);
                return io_error("publish version folder", archive / name, err);
            }
            err = errno;
        }
        if (err != EEXIST || attempt + 1 >= k_version_attempts) {
            return io_error("publish version folder", archive / name, err);
        }
    }
}

// Into the staging folder, which no reader sees until publish_version renames it: each file
// written and fsynced in place, the folder synced once (not a temporary name, a rename and a
// folder sync per file: a third of a fleet renewal's fsyncs).
Result<void> write_version(const Folder& dir, const CertificateFiles& files) {
    WILDCERT_CHECK(write_new_file(dir, "privkey.pem", files.privkey_pem, k_private_file));
    WILDCERT_CHECK(write_new_file(dir, "cert.pem", files.cert_pem, k_public_file));
    WILDCERT_CHECK(write_new_file(dir, "chain.pem", files.chain_pem, k_public_file));
    WILDCERT_CHECK(write_new_file(dir, "fullchain.pem", files.fullchain_pem, k_public_file));
    if (!files.info_txt.empty()) {
        WILDCERT_CHECK(write_new_file(dir, "info.txt", files.info_txt, k_public_file));
    }
    return dir.sync();
}

// live/<name> must be absent or a symlink; a real folder there is someone else's data.
Result<void> check_live_entry(const Folder& live, const std::string& name) {
    struct stat info {};
    if (::fstatat(live.fd(), name.c_str(), &info, AT_SYMLINK_NOFOLLOW) != 0) {
        if (errno == ENOENT) {
            return {};
        }
        return io_error("inspect", live / name, errno);
    }
    if (S_ISLNK(info.st_mode)) {
        return {};
    }
    return make_error(ErrorKind::io, (live / name).string() +
                                         " exists and is not a symlink made by wildcert; move it "
                                         "away (wildcert will not delete it)");
}

// Creates a symlink next to live/<name> and renames it over it: rename(2) replaces the old
// symlink atomically, so a reader never finds live/<name> missing.
Result<void> swap_symlink(const Folder& live, const std::string& name, const std::string& target) {
    const std::string temp = name + ".tmp-" + std::to_string(::getpid()) + "-" + random_suffix();
    if (::symlinkat(target.c_str(), live.fd(), temp.c_str()) != 0) {
        return io_error("create symlink", live / temp, errno);
    }
    if (::renameat(live.fd(), temp.c_str(), live.fd(), name.c_str()) != 0) {
        const int err = errno;
        ::unlinkat(live.fd(), temp.c_str(), 0);
        return io_error("switch", live / name, err);
    }
    return live.sync();
}

// install() without the context: the steps in order.
Result<void> install_version(const Folder& root, const std::string& name,
                             const CertificateFiles& files) {
    WILDCERT_TRY(const Folder live, root.sub("live", Create::yes));
    WILDCERT_CHECK(check_live_entry(live, name));
    WILDCERT_TRY(const Folder archives, root.sub("archive", Create::yes));
    WILDCERT_TRY(const Folder archive, archives.sub(name, Create::yes));
    WILDCERT_TRY(const std::string staging, create_staging_dir(archive));
    // A half-written version must never appear under a version number; the staging folder is
    // ours, so a failure removes it.
    const auto discard_staging = [&](const Error& error) {
        (void)archive.remove_tree(staging);
        return error;
    };
    Result<Folder> staged = archive.sub(staging, Create::no);
    if (!staged.ok()) {
        return discard_staging(staged.error());
    }
    // mkdir's mode passes through the umask; the version folder is 0700 whatever it says.
    if (::fchmod(staged->fd(), 0700) != 0) {
        return discard_staging(io_error("chmod", archive / staging, errno));
    }
    if (const Result<void> written = write_version(*staged, files); !written.ok()) {
        return discard_staging(written.error());
    }
    Result<std::string> version = publish_version(archive, staging);
    if (!version.ok()) {
        return discard_staging(version.error());
    }
    // The new version folder's entry in archive/<name> must be durable before live/ names it.
    WILDCERT_CHECK(archive.sync());
    return swap_symlink(live, name, "../archive/" + name + "/" + *version);
}

} // namespace

Result<std::filesystem::path> StateDir::install(const std::string& name,
                                                const CertificateFiles& files) const {
    WILDCERT_CHECK(check_certificate_name(name));
    if (const Result<void> installed = install_version(m_root, name, files); !installed.ok()) {
        return installed.error().with_context("install certificate " + name);
    }
    return live_dir(name);
}

} // namespace wildcert::store
