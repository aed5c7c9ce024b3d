#pragma once
// The shell completion scripts of wildcert, generated from the command tables
// (command_table.hpp) like --help and the man page: commands, each command's options, their
// values by ValueKind (files, folders, choices, certificate names from `wildcert list-names`)
// and the operands. `wildcert completion SHELL` prints them; the build installs them
// (doc/completion/meson.build).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wildcert::cli {

// For share/bash-completion/completions/wildcert; defines _wildcert for `complete -F`.
[[nodiscard]] std::string bash_completion_script();
// For share/zsh/vendor-completions/_wildcert: autoloaded by compinit, or sourced.
[[nodiscard]] std::string zsh_completion_script();
// For share/fish/vendor_completions.d/wildcert.fish.
[[nodiscard]] std::string fish_completion_script();

// "bash", "zsh", "fish".
[[nodiscard]] std::vector<std::string> completion_shells();
// The script of the shell named; nullopt for another name.
[[nodiscard]] std::optional<std::string> completion_script(std::string_view shell);

} // namespace wildcert::cli
