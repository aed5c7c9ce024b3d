#include "cli/profile_paths.hpp"

#include <algorithm>
#include <set>

namespace wildcert::cli {

Result<std::vector<std::filesystem::path>>
expand_profile_paths(const std::vector<std::filesystem::path>& given) {
    std::vector<std::filesystem::path> paths;
    for (const auto& path : given) {
        std::error_code error;
        if (!std::filesystem::is_directory(path, error)) {
            paths.push_back(path); // a missing file is load_profile's error to report
            continue;
        }
        std::vector<std::filesystem::path> found;
        for (const auto& entry : std::filesystem::directory_iterator(path, error)) {
            if (entry.path().extension() == ".toml" && !entry.is_directory())
                found.push_back(entry.path());
        }
        if (error)
            return make_error(ErrorKind::usage, path.string() + ": " + error.message());
        if (found.empty())
            return make_error(ErrorKind::usage, path.string() + " holds no *.toml profile");
        std::sort(found.begin(), found.end());
        paths.insert(paths.end(), found.begin(), found.end());
    }
    // A file named twice (a folder and one of its files) is one profile, renewed once.
    std::vector<std::filesystem::path> unique;
    std::set<std::filesystem::path> seen;
    for (auto& path : paths) {
        std::error_code error;
        auto real = std::filesystem::weakly_canonical(path, error);
        if (seen.insert(error ? path : real).second)
            unique.push_back(std::move(path));
    }
    return unique;
}

} // namespace wildcert::cli
