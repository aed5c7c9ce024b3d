#pragma once
// The command line, declared once (command_table.cpp): every command with its synopsis,
// description, examples and options. The parser, `--help`, `wildcert help`, the man page and
// the shell completions are all generated from these tables, so an option cannot exist in one
// of them and be missing from another. Adding a command is one CommandSpec entry (plus its
// Command value and run function).

#include "cli/arguments.hpp"

#include <wildcert/result.hpp>

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace wildcert::cli {

// How an option takes a value.
enum class ValueMode {
    none,     // a flag
    required, // --opt VALUE, --opt=VALUE, -xVALUE, -x VALUE
    optional, // --opt or --opt=VALUE (a separate word is never taken as its value)
};

// What a value is, for the shell completions.
enum class ValueKind { none, word, file, directory, certificate, choice };

// Stores an option's value (or a flag) into its Arguments field; errors are ErrorKind::usage.
// `value` is empty for a flag and for an optional value that was not given.
using ApplyOption = Result<void> (*)(Arguments& arguments, std::string_view value);
// Candidate words for completion (key types, reasons, provider names, ...).
using Choices = std::vector<std::string> (*)();

struct OptionSpec {
    std::string_view long_name; // without "--"
    char short_name = 0;        // 0: none
    std::string_view value_name;
    ValueMode value = ValueMode::none;
    bool repeatable = false;
    std::string_view help;
    ApplyOption apply = nullptr;
    ValueKind kind = ValueKind::none;
    Choices choices = nullptr; // for ValueKind::choice
};

// A command's one positional argument (`providers NAME`, `account ACTION`, `help COMMAND`).
struct OperandSpec {
    std::string_view name; // "NAME"; "" when the command takes none
    bool required = false;
    ApplyOption apply = nullptr;
    Choices choices = nullptr;
};

struct Example {
    std::string_view command; // after "wildcert "
    std::string_view what;
};

using RunCommand = int (*)(const Arguments& arguments);

struct CommandSpec {
    std::string_view name;
    Command command;
    std::span<const std::string_view> synopsis; // lines, each after "wildcert "
    std::string_view summary;                   // one line, for the command list
    std::string_view description;               // paragraphs separated by "\n\n"
    std::span<const Example> examples;
    std::span<const std::string_view> options; // long names of the options it takes
    OperandSpec operand{};
    RunCommand run = nullptr;
    bool needs_profile = true; // at least one -c
    bool hidden = false;       // helpers for the completions: not listed
};

// Every option of every command, each once.
[[nodiscard]] std::span<const OptionSpec> all_options();
// -h, -V, -v: taken by every command.
[[nodiscard]] std::span<const std::string_view> global_option_names();
// Every command, in the order --help lists them.
[[nodiscard]] std::span<const CommandSpec> all_commands();
// The names of the commands that are not hidden.
[[nodiscard]] std::vector<std::string> command_names();

[[nodiscard]] const OptionSpec* find_long_option(std::string_view name);
[[nodiscard]] const OptionSpec* find_short_option(char name);
[[nodiscard]] const CommandSpec* find_command(std::string_view name);
[[nodiscard]] const CommandSpec& command_spec(Command command);

// The command's own options, then the global ones.
[[nodiscard]] std::vector<const OptionSpec*> options_of(const CommandSpec& command);
[[nodiscard]] bool takes_option(const CommandSpec& command, const OptionSpec& option);
[[nodiscard]] bool is_global_option(const OptionSpec& option);

// "-c, --config PROFILE", "    --wait-lock[=DUR]": how help and the man page show an option.
[[nodiscard]] std::string option_label(const OptionSpec& option);

} // namespace wildcert::cli
