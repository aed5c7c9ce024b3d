#pragma once

#include "cli/arguments.hpp"

namespace wildcert::cli {

// Runs the hidden `wildcert list-names -c PROFILE...`: the name of every [[certificate]], one
// a line, for the shell completions of --cert. Reads only the profile files as TOML (no
// ${VAR}, no secret files, no validation), so it works where the profile's secrets are not
// readable. Without -c (`list-names [--state-dir DIR]`, for delete --cert): the certificates
// of the state directory, read without creating or changing anything. Returns the exit code.
[[nodiscard]] int run_list_names(const Arguments& arguments);

} // namespace wildcert::cli
