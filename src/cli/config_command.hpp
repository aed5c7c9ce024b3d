#pragma once

#include "cli/arguments.hpp"

namespace wildcert::cli {

// Runs `wildcert config -c PROFILE [--json]`: the profile as wildcert understood it (defaults
// filled in, known CA names, WILDCERT_* overlays, ${VAR} and <key>_file applied), as TOML that
// loads again, with every secret shown as "<redacted>" and each provider setting's origin in a
// comment. Sends nothing and needs no state directory. Exit 0, or 2 for a usage or profile
// error.
[[nodiscard]] int run_config(const Arguments& arguments);

} // namespace wildcert::cli
