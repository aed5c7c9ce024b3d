#pragma once
// -c arguments of renew and list: profile files, or folders of them.

#include <wildcert/result.hpp>

#include <filesystem>
#include <vector>

namespace wildcert::cli {

// Each file as given; each folder becomes its *.toml files in name order (not recursive), so
// one folder per machine holds every profile a timer renews. A folder without profiles is
// an ErrorKind::usage error naming it. A file given twice (also through its folder) is kept
// once, where it first appears.
[[nodiscard]] Result<std::vector<std::filesystem::path>>
expand_profile_paths(const std::vector<std::filesystem::path>& given);

} // namespace wildcert::cli
