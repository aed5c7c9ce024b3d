#pragma once
// Text that came from a peer (a CA, a DNS provider's API, a DNS server), made safe to print.
// A hostile peer could otherwise put ESC sequences, BEL or CR into a problem detail or an
// identifier and repaint the terminal or forge lines of wildcert's output. Applied where such
// text enters an error message, a log line or a field shown to the user.

#include <cstddef>
#include <string>
#include <string_view>

namespace wildcert::common {

// How much of a peer's text a message quotes: enough for any real problem detail.
inline constexpr std::size_t k_printable_max_bytes = 2048;

// `text` with every control character escaped: C0 controls and DEL as \xNN, C1 controls and
// the bidirectional overrides (which reorder what the terminal shows) as \uNNNN, bytes that
// are not UTF-8 as \xNN. Other UTF-8 stays as it is. Longer than `max_bytes`: cut at a
// character boundary, with "... (N more bytes)" after it.
[[nodiscard]] std::string printable(std::string_view text,
                                    std::size_t max_bytes = k_printable_max_bytes);

} // namespace wildcert::common
