#pragma once
// Overwriting secrets held in std::string before their memory goes back to the allocator, so
// that a later reader of the heap (a core dump allowed with WILDCERT_ALLOW_CORE=1, a buffer
// overrun elsewhere) finds zeros instead of the TSIG secret or an API token.

#include <string>

namespace wildcert {

// Zeroes every byte `text` owns (its whole capacity, so a shorter value written over a longer
// one leaves nothing behind) in a way the compiler may not drop, then empties it.
void secure_wipe(std::string& text);

} // namespace wildcert
