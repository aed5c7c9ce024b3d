// The zsh script: _arguments specs generated from the tables, one _arguments call for the
// command word and one for each command's options and operand.
#include "cli/completion_script.hpp"

#include "cli/completion_words.hpp"

namespace wildcert::cli {
namespace {

using namespace completion;

// Brackets end an _arguments description; the rest is literal there.
std::string description(std::string_view help) {
    std::string out;
    for (const char c : brief(help)) {
        if (c == '[' || c == ']' || c == '\\')
            out += '\\';
        out += c;
    }
    return out;
}

std::string value_action(const OptionSpec& option) {
    switch (option.kind) {
    case ValueKind::file:
        return "_files";
    case ValueKind::directory:
        return "_files -/";
    case ValueKind::certificate:
        return "_wildcert_certificates";
    case ValueKind::choice:
        return "(" + join(value_choices(option), " ") + ")";
    case ValueKind::word: // free text: the value's name as the message, nothing to offer
    case ValueKind::none:
        break;
    }
    return " ";
}

// One spec a spelling: '(-c --config)-c+[the TOML profile]:PROFILE:_files', with "*" in
// place of the exclusion list for a repeatable option. The suffix says where the value
// goes: "+" this word or the next, "=" after = or in the next word, "-"/"=-" this word only
// (an optional value, never the next word).
std::string option_specs(const OptionSpec& option, std::string_view indent) {
    const auto words = option_words(option);
    const std::string exclusion = option.repeatable ? "*" : "(" + join(words, " ") + ")";
    std::string value;
    if (option.value == ValueMode::required)
        value = ":" + std::string(option.value_name) + ":" + value_action(option);
    else if (option.value == ValueMode::optional)
        value = "::" + std::string(option.value_name) + ":" + value_action(option);
    std::string out;
    for (const auto& word : words) {
        const bool is_long = word.starts_with("--");
        std::string suffix;
        if (option.value == ValueMode::required)
            suffix = is_long ? "=" : "+";
        else if (option.value == ValueMode::optional)
            suffix = is_long ? "=-" : "-";
        out += " \\\n" + std::string(indent) +
               shell_word(exclusion + word + suffix + "[" + description(option.help) + "]" + value);
    }
    return out;
}

std::string operand_spec(const CommandSpec& command, std::string_view indent) {
    if (command.operand.name.empty())
        return "";
    const auto choices = operand_choices(command);
    return " \\\n" + std::string(indent) +
           shell_word(std::string(command.operand.required ? "1:" : "1::") +
                      std::string(command.operand.name) + ":" +
                      (choices.empty() ? " " : "(" + join(choices, " ") + ")"));
}

std::string command_list() {
    std::string out;
    for (const auto* command : offered_commands())
        out += "        " + shell_word(std::string(command->name) + ":" + brief(command->summary)) +
               "\n";
    return out;
}

std::string global_specs() {
    std::string out;
    for (const auto name : global_option_names())
        out += option_specs(*find_long_option(name), "        ");
    return out;
}

std::string command_arms() {
    std::string out;
    for (const auto* command : offered_commands()) {
        out += "            (" + shell_word(command->name) + ")\n                _arguments -s";
        constexpr std::string_view indent = "                    ";
        for (const auto* option : options_of(*command))
            out += option_specs(*option, indent);
        out += operand_spec(*command, indent) + " && ret=0 ;;\n";
    }
    return out;
}

// The words of the line whose values decide the certificate names: what list-names takes.
std::string names_arms() {
    std::string out;
    for (const auto& option : all_options()) {
        if (!passed_to_names_command(option))
            continue;
        const std::string pass = "_wildcert_pass --" + std::string(option.long_name);
        const auto words = option_words(option);
        out += "            (" + join(words, "|") + ") (( i + 1 < _wildcert_current )) && " + pass +
               " \"${_wildcert_words[i + 1]}\"; (( i++ )) ;;\n";
        out += "            (--" + std::string(option.long_name) + "=*) " + pass +
               " \"${word#*=}\" ;;\n";
        if (option.short_name != 0)
            out += "            (-" + std::string(1, option.short_name) + "?*) " + pass +
                   " \"${word#-?}\" ;;\n";
    }
    return out;
}

} // namespace

std::string zsh_completion_script() {
    return "#compdef wildcert\n"
           "# zsh completion for wildcert(1), generated from its command table by `wildcert "
           "completion zsh`.\n# Installed as share/zsh/vendor-completions/_wildcert; or load "
           "it with: source <(wildcert completion zsh)\n\n"
           "# Adds option $1 with the value $2 as typed (quotes removed, ~ expanded) to names.\n"
           "_wildcert_pass() {\n"
           "    local value=${(Q)2}\n"
           "    names+=(\"$1\" \"${value/#\\~/$HOME}\")\n"
           "}\n\n"
           "# The certificate names for --cert: those of the profiles given with -c on the "
           "line, else those\n# of the state directory (--state-dir on the line, else the "
           "default), as `wildcert " +
           std::string(names_command().name) +
           "` prints them.\n"
           "_wildcert_certificates() {\n"
           "    local -a names found expl\n"
           "    local i word\n"
           "    for (( i = 2; i < _wildcert_current; i++ )); do\n"
           "        word=${_wildcert_words[i]}\n"
           "        case $word in\n" +
           names_arms() +
           "        esac\n"
           "    done\n"
           "    found=(${(f)\"$(\"$_wildcert_program\" " +
           std::string(names_command().name) +
           " \"${names[@]}\" 2>/dev/null)\"})\n"
           "    _wanted certificates expl 'certificate' compadd -a found\n"
           "}\n\n"
           "_wildcert() {\n"
           "    # The whole line, for _wildcert_certificates: the second _arguments below "
           "sees only the words\n    # from the command on.\n"
           "    local _wildcert_program=${(Q)words[1]} _wildcert_current=$CURRENT\n"
           "    _wildcert_program=${_wildcert_program/#\\~/$HOME}\n"
           "    local -a _wildcert_words=(\"${words[@]}\")\n"
           "    local curcontext=$curcontext state state_descr line ret=1\n"
           "    typeset -A opt_args\n"
           "    local -a commands=(\n" +
           command_list() +
           "    )\n"
           "    _arguments -C -s" +
           global_specs() +
           " \\\n        '1:command:->command' \\\n        '*:: :->argument' && ret=0\n"
           "    case $state in\n"
           "        (command)\n"
           "            _describe -t commands 'wildcert command' commands && ret=0 ;;\n"
           "        (argument)\n"
           "            curcontext=${curcontext%:*:*}:wildcert-$words[1]:\n"
           "            case $words[1] in\n" +
           command_arms() +
           "            esac ;;\n"
           "    esac\n"
           "    return ret\n"
           "}\n\n"
           "# Autoloaded from fpath (compinit), the file is the body of _wildcert; sourced, it "
           "registers it.\n"
           "if [[ $zsh_eval_context[-1] == loadautofunc ]]; then\n"
           "    _wildcert \"$@\"\n"
           "else\n"
           "    compdef _wildcert wildcert\n"
           "fi\n";
}

} // namespace wildcert::cli
