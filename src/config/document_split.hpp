#pragma once
// Where a large profile can be cut so that toml11 parses the parts side by side. toml11 needs
// about 30 ms for a profile of a thousand [[certificate]] tables, the largest part of a
// no-op renewal of such a fleet; cut in two, the cores share it.
//
// A cut is only ever made before a line that is exactly `[[certificate]]` (blanks and a
// comment may follow), and only when every table header after the first such line is one of
// `[[certificate]]`, `[certificate.<...>]` or `[[certificate.<...>]]`, and the text holds no
// multi-line string. Then every part after the first is a run of certificate tables that
// means the same on its own as in the whole; anything else (and every small profile) is
// parsed whole, as are the parts of a profile that fails anywhere, so that errors read as
// they always did (document.cpp).

#include <cstddef>
#include <string_view>
#include <vector>

namespace wildcert::config {

// Fewer [[certificate]] tables than this are parsed whole: below it, threads cost more.
inline constexpr std::size_t k_split_minimum_certificates = 256;

// The offsets at which parts 2..parts begin (ascending, each the start of a `[[certificate]]`
// line), or none when the text must be parsed whole.
[[nodiscard]] std::vector<std::size_t> certificate_split_points(std::string_view text,
                                                                std::size_t parts);

} // namespace wildcert::config
