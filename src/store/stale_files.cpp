#include "store/stale_files.hpp"

#include "store/posix_io.hpp"

#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstdint>
#include <system_error>
#include <unistd.h>
#include <vector>

namespace wildcert::store {

namespace {

constexpr std::string_view k_marker = ".tmp-";

// kill(pid, 0) fails with ESRCH only when no such process exists; EPERM means it exists.
bool process_is_gone(long pid) {
    return ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
}

} // namespace

std::optional<long> temporary_owner(std::string_view file_name) {
    const auto at = file_name.rfind(k_marker);
    if (at == std::string_view::npos || at == 0)
        return std::nullopt;
    const std::string_view rest = file_name.substr(at + k_marker.size());
    long pid = 0;
    const auto [end, error] = std::from_chars(rest.data(), rest.data() + rest.size(), pid);
    // The random part follows the pid: "<pid>-<hex>", never a bare number.
    if (error != std::errc() || end == rest.data() || pid <= 0 ||
        end == rest.data() + rest.size() || *end != '-' || end + 1 == rest.data() + rest.size())
        return std::nullopt;
    return pid;
}

Result<std::size_t> remove_stale_temporaries(const std::filesystem::path& root) {
    std::error_code error;
    std::filesystem::recursive_directory_iterator it(root, error);
    if (error) {
        if (error == std::errc::no_such_file_or_directory)
            return std::size_t{0};
        return io_error("list", root, error.value());
    }
    // Collected first: removing entries while iterating would disturb the iterator.
    std::vector<std::filesystem::path> stale;
    for (; it != std::filesystem::recursive_directory_iterator(); it.increment(error)) {
        const auto owner = temporary_owner(it->path().filename().native());
        if (!owner || !process_is_gone(*owner))
            continue;
        // A staging folder (certificate_install.cpp) goes as a whole; the temporary live/<name>
        // symlink points at a folder, so it is the entry itself that is looked at.
        if (it->symlink_status(error).type() == std::filesystem::file_type::directory)
            it.disable_recursion_pending();
        stale.push_back(it->path());
    }
    if (error)
        return io_error("list", root, error.value());
    for (const auto& path : stale) {
        if (std::filesystem::remove_all(path, error) == static_cast<std::uintmax_t>(-1) || error)
            return io_error("remove stale temporary file", path, error.value());
        WILDCERT_CHECK(sync_dir(parent_dir_of(path)));
    }
    return stale.size();
}

} // namespace wildcert::store
