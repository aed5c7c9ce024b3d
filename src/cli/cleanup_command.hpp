#pragma once

#include "cli/arguments.hpp"

namespace wildcert::cli {

// Runs `wildcert cleanup -c PROFILE [--state-dir DIR]`: removes the TXT records that earlier
// runs of this profile left behind (the cleanup journal) and prints one line per record,
// "removed ..." or "failed ...: <cause>". Exit 0 when every record is gone (or none was left),
// 1 when one could not be removed (it stays in the journal), 2 for a usage or profile error.
[[nodiscard]] int run_cleanup(const Arguments& arguments);

} // namespace wildcert::cli
