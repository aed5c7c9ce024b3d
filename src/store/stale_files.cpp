#include "store/stale_files.hpp"

#include "common/parallel_for.hpp"
#include "store/posix_io.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <csignal>
#include <fcntl.h>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace wildcert::store {

namespace {

constexpr std::string_view k_marker = ".tmp-";
constexpr std::size_t k_random_digits = 16; // random_suffix(), posix_io.hpp

// kill(pid, 0) fails with ESRCH only when no such process exists; EPERM means it exists.
bool process_is_gone(long pid) {
    return ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
}

bool is_lower_hex(std::string_view text) {
    for (const char c : text) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
    }
    return true;
}

enum class Kind { file, symlink, staging_folder };

bool has_kind(const Folder& folder, const std::string& name, Kind kind) {
    struct stat info {};
    if (::fstatat(folder.fd(), name.c_str(), &info, AT_SYMLINK_NOFOLLOW) != 0)
        return false;
    switch (kind) {
    case Kind::file:
        return S_ISREG(info.st_mode);
    case Kind::symlink:
        return S_ISLNK(info.st_mode);
    case Kind::staging_folder:
        return S_ISDIR(info.st_mode) && name.starts_with("version.tmp-");
    }
    return false;
}

// Removes the stale temporaries of `kind` directly in `folder`; adds to `removed`.
Result<void> sweep(const Folder& folder, Kind kind, std::size_t& removed) {
    WILDCERT_TRY(const std::vector<std::string> names, folder.names());
    const std::size_t before = removed;
    for (const std::string& name : names) {
        const auto owner = temporary_owner(name);
        if (!owner || !process_is_gone(*owner) || !has_kind(folder, name, kind))
            continue;
        WILDCERT_CHECK(kind == Kind::staging_folder ? folder.remove_tree(name)
                                                    : folder.remove_file(name));
        ++removed;
    }
    if (removed != before)
        WILDCERT_CHECK(folder.sync());
    return {};
}

// sweep() in every folder inside root/<top> (accounts/<id>/, archive/<name>/, journal/<id>/).
// The folders are independent, so a state of many certificates is swept on a few threads.
Result<void> sweep_each(const Folder& root, const char* top, Kind kind, std::size_t& removed) {
    WILDCERT_TRY(const std::optional<Folder> parent, root.sub_if_exists(top));
    if (!parent)
        return {};
    WILDCERT_TRY(const std::vector<Folder::Entry> entries, parent->list());
    std::vector<std::optional<Result<std::size_t>>> swept(entries.size());
    parallel_for(entries.size(), reading_threads(entries.size()), [&](std::size_t i) {
        const auto& [name, type] = entries[i];
        struct stat info {};
        if (type == Folder::EntryType::other ||
            (type == Folder::EntryType::unknown &&
             (::fstatat(parent->fd(), name.c_str(), &info, AT_SYMLINK_NOFOLLOW) != 0 ||
              !S_ISDIR(info.st_mode))))
            return;
        const auto folder = parent->sub(name, Create::no);
        if (!folder.ok()) {
            swept[i] = folder.error();
            return;
        }
        std::size_t count = 0;
        const auto done = sweep(*folder, kind, count);
        swept[i] = done.ok() ? Result<std::size_t>(count) : Result<std::size_t>(done.error());
    });
    // The first failure in listing order, as the one-thread sweep reported it.
    for (const auto& one : swept) {
        if (!one)
            continue;
        WILDCERT_TRY(const std::size_t count, *one);
        removed += count;
    }
    return {};
}

// dry-run/run-<pid>/ of a dry run that is gone: its scratch state directory, removed whole.
Result<void> sweep_dry_runs(const Folder& root, std::size_t& removed) {
    WILDCERT_TRY(const std::optional<Folder> dry_run, root.sub_if_exists("dry-run"));
    if (!dry_run)
        return {};
    WILDCERT_TRY(const std::vector<std::string> names, dry_run->names());
    const std::size_t before = removed;
    for (const std::string& name : names) {
        long pid = 0;
        const char* end = name.data() + name.size();
        const auto parsed =
            std::from_chars(name.data() + std::min<std::size_t>(4, name.size()), end, pid);
        struct stat info {};
        if (!name.starts_with("run-") || parsed.ptr != end || parsed.ec != std::errc() ||
            pid <= 0 || name != scratch_name(pid) || !process_is_gone(pid) ||
            ::fstatat(dry_run->fd(), name.c_str(), &info, AT_SYMLINK_NOFOLLOW) != 0 ||
            !S_ISDIR(info.st_mode))
            continue;
        WILDCERT_CHECK(dry_run->remove_tree(name));
        ++removed;
    }
    if (removed != before)
        WILDCERT_CHECK(dry_run->sync());
    return {};
}

} // namespace

std::string scratch_name(long pid) {
    return "run-" + std::to_string(pid);
}

std::optional<long> temporary_owner(std::string_view file_name) {
    const auto at = file_name.rfind(k_marker);
    if (at == std::string_view::npos || at == 0)
        return std::nullopt;
    const std::string_view rest = file_name.substr(at + k_marker.size());
    long pid = 0;
    const auto [end, error] = std::from_chars(rest.data(), rest.data() + rest.size(), pid);
    if (error != std::errc() || end == rest.data() || pid <= 0 ||
        end == rest.data() + rest.size() || *end != '-')
        return std::nullopt;
    const std::string_view random = rest.substr(static_cast<std::size_t>(end + 1 - rest.data()));
    if (random.size() != k_random_digits || !is_lower_hex(random))
        return std::nullopt;
    return pid;
}

Result<std::size_t> remove_stale_temporaries(const Folder& root) {
    std::size_t removed = 0;
    WILDCERT_CHECK(sweep_each(root, "accounts", Kind::file, removed));
    WILDCERT_CHECK(sweep_each(root, "journal", Kind::file, removed));
    WILDCERT_CHECK(sweep_each(root, "archive", Kind::staging_folder, removed));
    WILDCERT_CHECK(sweep_dry_runs(root, removed));
    for (const auto& [top, kind] : {std::pair{"status", Kind::file}, {"live", Kind::symlink}}) {
        WILDCERT_TRY(const std::optional<Folder> folder, root.sub_if_exists(top));
        if (folder)
            WILDCERT_CHECK(sweep(*folder, kind, removed));
    }
    return removed;
}

} // namespace wildcert::store
