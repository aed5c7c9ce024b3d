#pragma once

#include "store/folder.hpp"

#include <wildcert/result.hpp>

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace wildcert::store {

// The most the store reads of one of its files: keys, PEM chains, info and status files and
// journals are a few kilobytes; a larger one is not wildcert's (or /dev/zero behind a link).
constexpr std::size_t k_max_state_file_bytes = 1024 * 1024;

// Writes `content` to `name` in `dir` so that a reader (or a crash) sees either the old file or
// the complete new one: temporary file "<name>.tmp-<pid>-<random>" (stale_files.hpp) in the
// same folder created with `mode` and O_NOFOLLOW, write, fsync, renameat over `name`, fsync of
// the folder. The temporary file is removed on failure. `mode` is applied with fchmod, so the
// umask cannot widen or narrow it. Not a lock: two concurrent writers leave one of the two
// contents.
[[nodiscard]] Result<void> write_file_atomically(const Folder& dir, std::string_view name,
                                                 std::string_view content,
                                                 std::filesystem::perms mode);
// Creates `name` in `dir` (it must not exist: O_CREAT | O_EXCL | O_NOFOLLOW) with `mode`,
// writes `content` and fsyncs it; the folder is not synced. For a folder nobody reads until
// it is renamed into place (a version's staging folder), where a temporary name and a rename
// per file would only cost time: the caller syncs the folder once, then renames it. A failure
// leaves the partial file for the caller, who discards the folder.
[[nodiscard]] Result<void> write_new_file(const Folder& dir, std::string_view name,
                                          std::string_view content, std::filesystem::perms mode);
// The same for a path outside the state directory (an output file the profile names): its
// folder is taken as given and must exist.
[[nodiscard]] Result<void> write_file_atomically(const std::filesystem::path& path,
                                                 std::string_view content,
                                                 std::filesystem::perms mode);

// Reads the regular file `name` in `dir` (common/regular_file.hpp: no symlink followed, no
// FIFO or device, at most `max_bytes`); nullopt when it does not exist. Errors are
// ErrorKind::io naming the file.
[[nodiscard]] Result<std::optional<std::string>>
read_file_if_exists(const Folder& dir, std::string_view name,
                    std::size_t max_bytes = k_max_state_file_bytes);
// Like read_file_if_exists, but a missing file is an error too.
[[nodiscard]] Result<std::string> read_file(const Folder& dir, std::string_view name,
                                            std::size_t max_bytes = k_max_state_file_bytes);

} // namespace wildcert::store
