#pragma once
// <state>/audit.log: one JSON line per operation, appended (the format is core/audit.hpp's).
// Appends use O_APPEND with a single write(2) per line, so lines of concurrent runs never
// interleave on a local file system; the file is 0600 (lines name hosts and serials).

#include "store/folder.hpp"

#include <wildcert/result.hpp>

#include <string_view>

namespace wildcert::store {

// Appends `line` plus a newline to the file `name` in `dir` (created 0600 when missing; a
// symlink or anything but a regular file there is refused). Not fsynced: the log is a record
// for people, not state that recovery depends on.
[[nodiscard]] Result<void> append_line(const Folder& dir, std::string_view name,
                                       std::string_view line);

} // namespace wildcert::store
