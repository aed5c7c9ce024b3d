#include "core/state_preflight.hpp"

#include <array>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace wildcert::core {
namespace {

Error state_error(const std::filesystem::path& path, const std::string& what) {
    return make_error(ErrorKind::profile, "state: " + path.string() + " " + what);
}

// Where an entry is: relative to the state directory's descriptor (a short walk, no
// symlink followed on the last step), and its full path for messages.
struct Place {
    int root_fd;
    std::string relative;
    std::filesystem::path path;
};

Place place(const store::StateDir& state_dir, std::string relative) {
    std::filesystem::path path = state_dir.root() / relative;
    return Place{state_dir.folder().fd(), std::move(relative), std::move(path)};
}

// lstat(2): nullopt when nothing is there; an error for anything but "absent".
Result<std::optional<struct stat>> look_at(const Place& place) {
    const std::filesystem::path& path = place.path;
    struct stat info {};
    if (::fstatat(place.root_fd, place.relative.c_str(), &info, AT_SYMLINK_NOFOLLOW) == 0)
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
Result<void> check_folder(const Place& place) {
    const std::filesystem::path& path = place.path;
    WILDCERT_TRY(const auto info, look_at(place));
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

Result<void> check_live(const store::StateDir& state_dir, const std::string& name) {
    const Place live_place = place(state_dir, "live/" + name);
    const std::filesystem::path& live = live_place.path;
    WILDCERT_TRY(const auto info, look_at(live_place));
    if (!info)
        return {};
    if (!S_ISLNK(info->st_mode))
        return state_error(live, std::string("is ") + kind_of(*info) +
                                     ", not wildcert's symlink into archive/" + name +
                                     "; move it away (wildcert would replace it only after the "
                                     "CA issued)");
    std::array<char, 4096> buffer{};
    const ssize_t length = ::readlinkat(live_place.root_fd, live_place.relative.c_str(),
                                        buffer.data(), buffer.size() - 1);
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
    const Place version_place =
        place(state_dir, "archive/" + name + "/" + target.filename().string());
    WILDCERT_TRY(const auto version, look_at(version_place));
    if (version && !S_ISDIR(version->st_mode))
        return state_error(version_place.path, std::string("is ") + kind_of(*version) +
                                                   ", not a version folder; move it away");
    return {};
}

} // namespace

Result<void> check_state_folders(const store::StateDir& state_dir) {
    WILDCERT_CHECK(check_folder(place(state_dir, "archive")));
    return check_folder(place(state_dir, "live"));
}

Result<void> check_lineage_state(const store::StateDir& state_dir, const std::string& name) {
    WILDCERT_CHECK(check_folder(place(state_dir, "archive/" + name)));
    return check_live(state_dir, name);
}

Result<void> check_certificate_state(const store::StateDir& state_dir, const std::string& name) {
    WILDCERT_CHECK(check_state_folders(state_dir));
    return check_lineage_state(state_dir, name);
}

} // namespace wildcert::core
