#pragma once
// Finding a program by its bare name the way a shell does (POSIX XCU §2.9.1.1), for commands
// that run without one.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace wildcert::process {

// The first "<dir>/<name>" along `search_path` (a PATH value: folders separated by ':', an
// empty entry meaning the working directory) that is a regular file we may execute. `name`
// must not contain a '/'. Nothing found: nullopt.
[[nodiscard]] std::optional<std::filesystem::path> find_in_path(std::string_view name,
                                                                std::string_view search_path);

// $PATH, or the system's default search path when it is unset (confstr(_CS_PATH)).
[[nodiscard]] std::string current_search_path();

} // namespace wildcert::process
