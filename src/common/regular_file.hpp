#pragma once
// The one reader for every small file wildcert reads whole: profiles, <key>_file secrets, CA
// bundles, and the files of the state directory. A wrong path must fail fast and bounded, not
// hang or fill memory: only regular files are read (a FIFO with no writer, /dev/zero or a
// folder is refused before the first read), the open never blocks (O_NONBLOCK), and at most
// `max_bytes` are read.

#include <wildcert/result.hpp>

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>

namespace wildcert {

enum class Symlinks {
    follow, // the operator's own files: a secret under /run/secrets is often a symlink
    refuse, // inside the state directory, where nobody but wildcert makes links
};

// Reads `path` (relative to the folder `dir_fd`, or to the working directory with AT_FDCWD).
// nullopt when it, or a folder on the way, does not exist. Errors are ErrorKind::io with a
// message that says why in a few words ("is a FIFO, not a regular file", "is larger than the
// 4096-byte limit") and never holds any of the content; callers put the file's name in front.
[[nodiscard]] Result<std::optional<std::string>>
read_regular_file(int dir_fd, const std::filesystem::path& path, std::size_t max_bytes,
                  Symlinks symlinks);

} // namespace wildcert
