#pragma once

#include "cli/arguments.hpp"

#include <istream>

namespace wildcert::cli {

// Runs `wildcert delete --cert NAME [--yes]`: removes the certificate's lineage from the state
// directory after asking on the terminal (--yes: without asking). Exit 0 when deleted; 1 when
// the answer was no or a removal failed; 2 for a name with nothing to delete, or no --yes
// without a terminal to ask on; 3 when another run holds the certificate's lock.
[[nodiscard]] int run_delete(const Arguments& arguments);

// The confirmation: "y" or "yes" in any case, surrounding blanks ignored; anything else
// (an empty line, the end of input) is no.
[[nodiscard]] bool read_confirmation(std::istream& in);

} // namespace wildcert::cli
