// The fish script: a reader of the line generated from the tables (which options take a
// value), then one `complete` line for each command and for each option of each command.
#include "cli/completion_script.hpp"

#include "cli/completion_words.hpp"

namespace wildcert::cli {
namespace {

using namespace completion;

// The arms of the reader's switch: the options list-names takes are kept (with their value),
// the value of every other option that takes one in the next word is skipped.
std::string reader_arms() {
    std::string out;
    std::vector<std::string> skipped;
    for (const auto& option : all_options()) {
        if (option.value != ValueMode::required)
            continue;
        const auto words = option_words(option);
        if (!passed_to_names_command(option)) {
            skipped.insert(skipped.end(), words.begin(), words.end());
            continue;
        }
        const std::string keep = "            set -a names --" + std::string(option.long_name);
        out += "        case " + join(words, " ") + "\n" + keep +
               " (__wildcert_path $tokens[1])\n            set -e tokens[1]\n";
        out += "        case '--" + std::string(option.long_name) + "=*'\n" + keep +
               " (__wildcert_path (string replace -r -- '^[^=]*=' '' $token))\n";
        if (option.short_name != 0)
            out += "        case '-" + std::string(1, option.short_name) + "?*'\n" + keep +
                   " (__wildcert_path (string sub -s 3 -- $token))\n";
    }
    if (!skipped.empty())
        out += "        case " + join(skipped, " ") + "\n            set -e tokens[1]\n";
    return out;
}

std::string command_lines() {
    std::string out;
    for (const auto* command : offered_commands())
        out += "complete -c wildcert -n __wildcert_needs_command -a " + fish_quote(command->name) +
               " -d " + fish_quote(brief(command->summary)) + "\n";
    return out;
}

// -s c -l config -r -F: how fish is told an option's spellings and value.
std::string option_flags(const OptionSpec& option) {
    std::string out;
    if (option.short_name != 0)
        out += " -s " + std::string(1, option.short_name);
    out += " -l " + std::string(option.long_name);
    if (option.value != ValueMode::required)
        return out; // an optional value only after "=": see optional_value_line
    switch (option.kind) {
    case ValueKind::file:
        return out + " -r -F";
    case ValueKind::directory:
        return out + " -x -a '(__fish_complete_directories)'";
    case ValueKind::certificate:
        return out + " -x -a '(__wildcert_certificates)'";
    case ValueKind::choice:
        return out + " -x -a " + fish_quote(join(value_choices(option), " "));
    case ValueKind::word:
    case ValueKind::none:
        break;
    }
    return out + " -x";
}

// fish has no option whose value is optional: --json alone is a flag, and the choices are
// offered whole ("--json=stream") when the word being typed is "--json=...".
std::string optional_value_line(const std::string& condition, const OptionSpec& option) {
    const auto choices = value_choices(option);
    if (option.value != ValueMode::optional || choices.empty())
        return "";
    const std::string prefix = "--" + std::string(option.long_name) + "=";
    std::vector<std::string> words;
    for (const auto& choice : choices)
        words.push_back(prefix + choice);
    return "complete -c wildcert -n " +
           fish_quote(condition + "; and string match -q -- '" + prefix + "*' (commandline -ct)") +
           " -a " + fish_quote(join(words, " ")) + " -d " + fish_quote(brief(option.help)) + "\n";
}

std::string option_lines() {
    std::string out;
    for (const auto name : global_option_names()) {
        const auto& option = *find_long_option(name);
        out += "complete -c wildcert" + option_flags(option) + " -d " +
               fish_quote(brief(option.help)) + "\n";
    }
    for (const auto* command : offered_commands()) {
        const std::string condition = "__wildcert_using " + std::string(command->name);
        out += "\n";
        for (const auto* option : options_of(*command)) {
            if (is_global_option(*option))
                continue;
            out += "complete -c wildcert -n " + fish_quote(condition) + option_flags(*option) +
                   " -d " + fish_quote(brief(option->help)) + "\n" +
                   optional_value_line(condition, *option);
        }
        const auto operands = operand_choices(*command);
        if (!operands.empty())
            out += "complete -c wildcert -n " +
                   fish_quote("__wildcert_wants_operand " + std::string(command->name)) + " -a " +
                   fish_quote(join(operands, " ")) + "\n";
    }
    return out;
}

} // namespace

std::string fish_completion_script() {
    return "# fish completion for wildcert(1), generated from its command table by `wildcert "
           "completion fish`.\n# Installed as share/fish/vendor_completions.d/wildcert.fish; "
           "or load it with: wildcert completion fish | source\n\n"
           "# A path as typed, with ~ for the home folder.\n"
           "function __wildcert_path\n"
           "    string replace -r -- '^~(?=/|$)' $HOME $argv[1]\n"
           "end\n\n"
           "# The line before the cursor read as wildcert's parser reads it: prints the "
           "command (command),\n# its operand (operand) or the options on it that `wildcert " +
           std::string(names_command().name) +
           "` takes (names).\n"
           "function __wildcert_scan --argument-names what\n"
           "    set -l tokens (commandline -opc)\n"
           "    set -e tokens[1]\n"
           "    set -l command\n"
           "    set -l operand\n"
           "    set -l names\n"
           "    while set -q tokens[1]\n"
           "        set -l token $tokens[1]\n"
           "        set -e tokens[1]\n"
           "        switch $token\n" +
           reader_arms() +
           "        case '-*'\n"
           "        case '*'\n"
           "            if not set -q command[1]\n"
           "                set command $token\n"
           "            else if not set -q operand[1]\n"
           "                set operand $token\n"
           "            end\n"
           "        end\n"
           "    end\n"
           "    # Nothing at all for an empty list (printf would print an empty line).\n"
           "    count $$what >/dev/null; and printf '%s\\n' $$what\n"
           "end\n\n"
           "function __wildcert_needs_command\n"
           "    set -l command (__wildcert_scan command)\n"
           "    not set -q command[1]\n"
           "end\n\n"
           "# The command on the line is one of $argv.\n"
           "function __wildcert_using\n"
           "    set -l command (__wildcert_scan command)\n"
           "    set -q command[1]; and contains -- $command $argv\n"
           "end\n\n"
           "function __wildcert_wants_operand\n"
           "    set -l operand (__wildcert_scan operand)\n"
           "    __wildcert_using $argv; and not set -q operand[1]\n"
           "end\n\n"
           "# The certificate names for --cert: those of the profiles given with -c on the "
           "line, else those\n# of the state directory (--state-dir on the line, else the "
           "default).\n"
           "function __wildcert_certificates\n"
           "    set -l program (__wildcert_path (commandline -opc)[1])\n"
           "    $program " +
           std::string(names_command().name) +
           " (__wildcert_scan names) 2>/dev/null\n"
           "end\n\n"
           "# Arguments are no files unless an option says so.\n"
           "complete -c wildcert -f\n" +
           command_lines() + "\n" + option_lines();
}

} // namespace wildcert::cli
