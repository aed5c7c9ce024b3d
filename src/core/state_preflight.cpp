#include "core/state_preflight.hpp"

#include <array>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <sys/stat.h>
#include <unistd.h>

namespace wildcert::core {
namespace {

Error state_error(const std::filesystem::path& path, const std::string& what) {
    return make_error(ErrorKind::profile, "state: " + path.string() + " " + what);
}

// lstat(2): nullopt when nothing is there; an error for anything but "absent".
Result<std::optional<struct stat>> look_at(const std::filesystem::path& path) {
    struct stat info {};
    if (::lstat(path.c_str(), &info) == 0)
        return std::optional<struct stat>(info);
    if (errno == ENOENT)
        return std::optional<struct stat>();
    return state_error(path, std::string("cannot be inspected: ") + std::strerror(errno));
}

const char* kind_of(const struct stat& info) {
    if (S_ISLNK(info.st_mode))
        return "a symlink";
    if (S_ISREG(info.st_mode))
        return "a file";
    if (S_ISDIR(info.st_mode))
        return "a folder";
    return "a special file";
}

// archive/ and live/ themselves, and archive/<name>: absent or real folders.
Result<void> check_folder(const std::filesystem::path& path) {
    WILDCERT_TRY(const auto info, look_at(path));
    if (!info || S_ISDIR(info->st_mode))
        return {};
    return state_error(path, std::string("is ") + kind_of(*info) +
                                 " where wildcert keeps a folder of its own; move it away");
}

bool is_version(std::string_view text) {
    unsigned long number = 0;
    const char* end = text.data() + text.size();
    return !text.empty() && text.front() != '0' &&
           std::from_chars(text.data(), end, number).ptr == end;
}

Result<void> check_live(const std::filesystem::path& archive, const std::filesystem::path& live,
                        const std::string& name) {
    WILDCERT_TRY(const auto info, look_at(live));
    if (!info)
        return {};
    if (!S_ISLNK(info->st_mode))
        return state_error(live, std::string("is ") + kind_of(*info) +
                                     ", not wildcert's symlink into archive/" + name +
                                     "; move it away (wildcert would replace it only after the "
                                     "CA issued)");
    std::array<char, 4096> buffer{};
    const ssize_t length = ::readlink(live.c_str(), buffer.data(), buffer.size() - 1);
    if (length < 0)
        return state_error(live, std::string("cannot be read: ") + std::strerror(errno));
    const std::filesystem::path target(
        std::string(buffer.data(), static_cast<std::size_t>(length)));
    // install() writes exactly this form; anything else was put there by someone else.
    const std::filesystem::path expected_parent = std::filesystem::path("..") / "archive" / name;
    if (target.is_absolute() || target.parent_path() != expected_parent ||
        !is_version(target.filename().string()))
        return state_error(live, "points at " + target.string() + ", outside archive/" + name +
                                     " (expected ../archive/" + name +
                                     "/<version>); remove the symlink or point it at a version");
    WILDCERT_TRY(const auto version, look_at(archive / target.filename()));
    if (version && !S_ISDIR(version->st_mode))
        return state_error(archive / target.filename(), std::string("is ") + kind_of(*version) +
                                                            ", not a version folder; move it away");
    return {};
}

} // namespace

Result<void> check_certificate_state(const store::StateDir& state_dir, const std::string& name) {
    const std::filesystem::path archive_root = state_dir.root() / "archive";
    const std::filesystem::path archive = archive_root / name;
    const std::filesystem::path live = state_dir.live_dir(name);
    WILDCERT_CHECK(check_folder(archive_root));
    WILDCERT_CHECK(check_folder(live.parent_path()));
    WILDCERT_CHECK(check_folder(archive));
    return check_live(archive, live, name);
}

} // namespace wildcert::core
