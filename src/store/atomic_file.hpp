#pragma once

#include <wildcert/result.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace wildcert::store {

// Writes `content` to `path` so that a reader (or a crash) sees either the old file or the
// complete new one: temporary file in the same folder created with `mode`, write, fsync,
// rename over `path`, fsync of the folder. The temporary file is removed on failure.
// `mode` is applied with fchmod, so the umask cannot widen or narrow it. The folder must
// exist. Not a lock: two concurrent writers leave one of the two contents.
[[nodiscard]] Result<void> write_file_atomically(const std::filesystem::path& path,
                                                 std::string_view content,
                                                 std::filesystem::perms mode);

// Reads a whole file; ErrorKind::io naming the path when it cannot.
[[nodiscard]] Result<std::string> read_file(const std::filesystem::path& path);
// Like read_file, but a missing file (or a missing folder on the way) is nullopt, not an error.
[[nodiscard]] Result<std::optional<std::string>>
read_file_if_exists(const std::filesystem::path& path);

// Creates `dir` and missing parents with mode 0700 (existing folders keep their mode).
[[nodiscard]] Result<void> create_private_dirs(const std::filesystem::path& dir);

} // namespace wildcert::store
