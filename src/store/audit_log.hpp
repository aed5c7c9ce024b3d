#pragma once
// <state>/audit.log: one JSON line per operation, appended (the format is core/audit.hpp's).
// Appends use O_APPEND with a single write(2) per line, so lines of concurrent runs never
// interleave on a local file system; the file is 0600 (lines name hosts and serials).

#include <wildcert/result.hpp>

#include <filesystem>
#include <string_view>

namespace wildcert::store {

// Appends `line` plus a newline to `path` (created 0600 when missing). Not fsynced: the log is
// a record for people, not state that recovery depends on.
[[nodiscard]] Result<void> append_line(const std::filesystem::path& path, std::string_view line);

} // namespace wildcert::store
