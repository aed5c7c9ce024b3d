#pragma once
// The manual pages, in roff, generated from the tables the program itself runs on:
// wildcert(1) from the command tables (command_table.hpp) and the exit codes,
// wildcert.toml(5) from the profile key table (config/profile_keys.hpp) and the provider
// descriptors. The build writes them with `wildcert-docs` (doc/meson.build).

#include <string>
#include <string_view>

namespace wildcert::cli {

[[nodiscard]] std::string command_man_page();
[[nodiscard]] std::string profile_man_page();

// Text made safe for a roff line: backslashes and hyphens escaped, and a leading '.' or '\''
// (which roff would take for a request) guarded.
[[nodiscard]] std::string roff_escape(std::string_view text);

} // namespace wildcert::cli
