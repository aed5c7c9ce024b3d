#pragma once
// Breaking prose into lines for the terminal (help, providers).

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace wildcert::cli {

inline constexpr std::size_t k_text_width = 80;

// The paragraphs of `text`, which are separated by "\n\n" (help and man page prose).
[[nodiscard]] std::vector<std::string_view> split_paragraphs(std::string_view text);

// Breaks `text` at spaces into lines of at most `width` columns (a longer word gets a line of
// its own), each starting with `indent`, each ending with '\n'.
[[nodiscard]] std::string wrap_text(std::string_view text, std::string_view indent,
                                    std::size_t width = k_text_width);

// `label` in a column of `label_width`, then `text` wrapped beside it; a label wider than the
// column puts the text on the next line.
[[nodiscard]] std::string hanging(std::string_view indent, std::string_view label,
                                  std::size_t label_width, std::string_view text);

} // namespace wildcert::cli
