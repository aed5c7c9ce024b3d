#pragma once
// What a run killed in the middle of a write leaves in the state directory, and its removal.
// Every temporary name the store makes is "<final name>.tmp-<pid>-<random>" (atomic_file.cpp,
// certificate_install.cpp; a new archive version is written in a folder named so too), so the
// pid tells whether the writer is still alive.

#include <wildcert/result.hpp>

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string_view>

namespace wildcert::store {

// The pid in a temporary name "<name>.tmp-<pid>-<random>"; nullopt for any other name.
[[nodiscard]] std::optional<long> temporary_owner(std::string_view file_name);

// Removes, anywhere under `root`, the temporary files, symlinks and staging folders (with
// everything in them) whose writer is gone (no process has its pid). A live writer's files are
// left alone, so this is safe while other runs use the same state directory (in the same pid
// namespace: a writer in another one looks gone). Returns how many it removed; a missing `root` is
// not an error.
[[nodiscard]] Result<std::size_t> remove_stale_temporaries(const std::filesystem::path& root);

} // namespace wildcert::store
