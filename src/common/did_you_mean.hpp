#pragma once
// "did you mean" hints for misspelt commands, options, actions and profile keys.

#include <string>
#include <string_view>
#include <vector>

namespace wildcert::common {

// Edits (insert, delete, substitute, swap of two neighbours) that turn `a` into `b`.
[[nodiscard]] std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate `word` most likely is a typo of: the closest one by edit_distance when it is
// close for the word's length (1 edit up to 5 letters, 2 up to 8, else 3), else the one
// candidate that starts with `word` (3 letters at least); "" when neither.
[[nodiscard]] std::string closest_match(std::string_view word,
                                        const std::vector<std::string>& candidates);

// "; did you mean \"issue\"?" for closest_match, or "". `shown_prefix` goes before the match
// in the hint ("--" for option names, which are compared without it); `quote` surrounds it
// (profile messages quote keys and values with ').
[[nodiscard]] std::string did_you_mean(std::string_view word,
                                       const std::vector<std::string>& candidates,
                                       std::string_view shown_prefix = "", char quote = '"');

} // namespace wildcert::common
