#pragma once
// Reading the small text files a profile refers to (the profile itself, <key>_file secrets).

#include <wildcert/result.hpp>

#include <cstddef>
#include <filesystem>
#include <string>

namespace wildcert::config {

// Reads the whole file (common/regular_file.hpp: symlinks followed, since secrets often live
// behind one, but the end must be a regular file; never blocks). Errors are
// ErrorKind::profile, say why the file could not be read and never contain any of its content
// (it may be a secret). Files over `max_bytes` are refused: a profile or a secret is small, and
// a wrong path (a device, a log, a FIFO) should fail fast.
[[nodiscard]] Result<std::string> read_small_file(const std::filesystem::path& path,
                                                  std::size_t max_bytes);

} // namespace wildcert::config
