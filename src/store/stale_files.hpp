#pragma once
// What a run killed in the middle of a write leaves in the state directory, and its removal.
// Every temporary name the store makes is "<final name>.tmp-<pid>-<16 hex digits>"
// (atomic_file.cpp, certificate_install.cpp; a new archive version is written in a folder
// named "version.tmp-<pid>-<hex>"), so the pid tells whether the writer is still alive.
//
// Only those names, of the kind wildcert makes, in the folders where it makes them, are ever
// removed: regular files in accounts/<id>/, status/ and journal/<id>/, symlinks in live/,
// staging folders in archive/<name>/, and a dry run's scratch folder dry-run/run-<pid>/. A
// certificate or a file of someone else's that happens to look like a temporary name elsewhere is
// never touched (and certificate names that look like one are refused, certificate_name.hpp).

#include "store/folder.hpp"

#include <wildcert/result.hpp>

#include <cstddef>
#include <optional>
#include <string_view>

namespace wildcert::store {

// "run-<pid>": the scratch folder of a dry run (StateDir::open_scratch).
[[nodiscard]] std::string scratch_name(long pid);

// The pid in a temporary name "<name>.tmp-<pid>-<16 lower-case hex digits>"; nullopt for any
// other name.
[[nodiscard]] std::optional<long> temporary_owner(std::string_view file_name);

// Removes, in the state directory `root`, the temporaries described above whose writer is gone
// (no process has its pid). A live writer's files are left alone, so this is safe while other
// runs use the same state directory (in the same pid namespace: a writer in another one looks
// gone). Returns how many it removed.
[[nodiscard]] Result<std::size_t> remove_stale_temporaries(const Folder& root);

} // namespace wildcert::store
