#pragma once
// Nesting limits checked on the TOML text before toml11 parses it. toml11 (3.7.1) parses
// arrays, inline tables and dotted keys by recursion, so a 16 KB file of 8000 '[' overflows
// the stack (SIGSEGV) instead of giving a syntax error. No profile needs more than a few
// levels; these limits are far above that and far below what the stack holds.

#include <wildcert/result.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace wildcert::config {

// Arrays and inline tables open at one point of a value ("[[1]]" is 2, "{a = [1]}" is 2).
inline constexpr std::size_t k_max_toml_depth = 32;
// Parts of one key or table header ("a.b.c" is 3), quoted parts included.
inline constexpr std::size_t k_max_toml_key_parts = 16;

// Scans `text` as TOML only as far as strings (basic, literal and their multi-line forms),
// comments, keys, table headers and brackets go, so that a '[', '{' or '.' inside a string or
// a comment does not count. Errors are ErrorKind::profile "<display_name>:<line>:<column>:
// ..." at the bracket or dot that goes over a limit. Text that is not valid TOML passes when
// it stays within the limits: the parser reports it.
[[nodiscard]] Result<void> check_toml_limits(std::string_view text,
                                             const std::string& display_name);

} // namespace wildcert::config
