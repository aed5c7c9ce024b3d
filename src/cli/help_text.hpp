#pragma once
// --help, `wildcert help [COMMAND]` and COMMAND --help, all generated from the command tables.

#include "cli/arguments.hpp"
#include "cli/command_table.hpp"

#include <string>

namespace wildcert::cli {

// The overview: every command, every option (with the commands that take it), exit codes.
[[nodiscard]] std::string usage_text();

// One command: synopsis, summary, description, options, examples.
[[nodiscard]] std::string command_help(const CommandSpec& command);

// `wildcert help [COMMAND]`: prints usage_text() or command_help() on stdout.
[[nodiscard]] int run_help(const Arguments& arguments);

} // namespace wildcert::cli
