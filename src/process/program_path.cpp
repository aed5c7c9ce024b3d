#include "process/program_path.hpp"

#include <cstdlib>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

namespace wildcert::process {
namespace {

bool is_executable_file(const std::filesystem::path& path) {
    struct stat info {};
    return ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode) &&
           ::access(path.c_str(), X_OK) == 0;
}

} // namespace

std::optional<std::filesystem::path> find_in_path(std::string_view name,
                                                  std::string_view search_path) {
    if (name.empty() || name.find('/') != std::string_view::npos)
        return std::nullopt;
    std::size_t start = 0;
    while (start <= search_path.size()) {
        auto end = search_path.find(':', start);
        if (end == std::string_view::npos)
            end = search_path.size();
        const auto folder = search_path.substr(start, end - start);
        const std::filesystem::path candidate =
            std::filesystem::path(folder.empty() ? "." : std::string(folder)) / std::string(name);
        if (is_executable_file(candidate))
            return candidate;
        start = end + 1;
    }
    return std::nullopt;
}

std::string current_search_path() {
    if (const char* path = std::getenv("PATH"))
        return path;
    const std::size_t size = ::confstr(_CS_PATH, nullptr, 0);
    if (size == 0)
        return "/usr/bin:/bin";
    std::string path(size, '\0');
    ::confstr(_CS_PATH, path.data(), size);
    path.resize(size - 1); // confstr counts the terminating NUL
    return path;
}

} // namespace wildcert::process
