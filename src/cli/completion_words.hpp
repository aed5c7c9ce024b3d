#pragma once
// What the three completion scripts (completion_script.hpp) take from the command tables, and
// the quoting of their shells.

#include "cli/command_table.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace wildcert::cli::completion {

// The commands a user is offered: every one that is not hidden.
[[nodiscard]] std::vector<const CommandSpec*> offered_commands();
// The hidden command that prints certificate names (list-names); the options it takes are
// the ones the scripts pass on to it from the line.
[[nodiscard]] const CommandSpec& names_command();
[[nodiscard]] bool passed_to_names_command(const OptionSpec& option);

// The candidates of a ValueKind::choice option; none for the other kinds.
[[nodiscard]] std::vector<std::string> value_choices(const OptionSpec& option);
// The candidates of a command's operand; none when it takes none.
[[nodiscard]] std::vector<std::string> operand_choices(const CommandSpec& command);

// "--config", "-c": the spellings of an option, long first.
[[nodiscard]] std::vector<std::string> option_words(const OptionSpec& option);

// A help or summary line made short for a completion menu: without its parenthesised
// asides, and only up to its first "; ".
[[nodiscard]] std::string brief(std::string_view text);

// A word for sh, bash or zsh: as it is when it holds nothing the shell would read, else in
// single quotes (a ' inside written '\'').
[[nodiscard]] std::string shell_word(std::string_view word);
// Text in single quotes for fish, which also takes \ as an escape there.
[[nodiscard]] std::string fish_quote(std::string_view text);

[[nodiscard]] std::string join(const std::vector<std::string>& words, std::string_view separator);

} // namespace wildcert::cli::completion
