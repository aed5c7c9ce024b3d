#pragma once
// What the state directory must look like for a certificate to be renewed, checked before
// anything is sent: StateDir::install refuses a live/<name> that is not its own symlink, and a
// file where archive/<name> belongs, but only after the CA has issued (a wasted certificate,
// counted against the CA's rate limits).

#include "store/state_dir.hpp"

#include <wildcert/result.hpp>

#include <string>

namespace wildcert::core {

// Passes when archive/<name> is absent or a real folder, and live/<name> is absent or a
// symlink to "../archive/<name>/<version>" (what install writes) whose version, when present,
// is a real folder. Otherwise an ErrorKind::profile error (exit 2: the state needs a person)
// that names the path and what is wrong. Reads only; `name` has passed the profile's checks.
[[nodiscard]] Result<void> check_certificate_state(const store::StateDir& state_dir,
                                                   const std::string& name);

// The same in two parts, for a pass over many certificates: archive/ and live/ themselves
// (once), then each certificate's own entries.
[[nodiscard]] Result<void> check_state_folders(const store::StateDir& state_dir);
[[nodiscard]] Result<void> check_lineage_state(const store::StateDir& state_dir,
                                               const std::string& name);

} // namespace wildcert::core
