#pragma once
// Where an output may not go: into the state directory, whose files (private keys under
// archive/, the live/ links) an output would overwrite. The profile does not know the state
// directory (the command line names it), so this is checked once both are known, before
// anything is sent.

#include <wildcert/profile.hpp>
#include <wildcert/result.hpp>

#include <filesystem>

namespace wildcert::config {

// ErrorKind::profile naming the output's file, line and key when one of its paths resolves
// (symlinks of existing folders followed) to `state_root` or anything inside it.
[[nodiscard]] Result<void> check_outputs_outside(const Profile& profile,
                                                 const std::filesystem::path& state_root);

} // namespace wildcert::config
