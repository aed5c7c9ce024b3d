// The bash script: a few functions generated from the tables (which options there are, how
// each takes its value, what each command takes), then the fixed reader of the line that
// uses them. Plain bash 4: it needs no bash-completion helper, so `bash --norc` can load it.
#include "cli/completion_script.hpp"

#include "cli/completion_words.hpp"

namespace wildcert::cli {
namespace {

using namespace completion;

std::string mode_of(const OptionSpec& option) {
    switch (option.value) {
    case ValueMode::required:
        return "required";
    case ValueMode::optional:
        return "optional";
    case ValueMode::none:
        break;
    }
    return "none";
}

// One case arm a line: "        -c|--config) BODY ;;".
std::string arm(const std::vector<std::string>& patterns, const std::string& body) {
    return "        " + join(patterns, "|") + ") " + body + " ;;\n";
}

std::string option_function() {
    std::string out = "# REPLY=(LONG MODE REPEAT SHORT): the option $1 (-c or --config) and how "
                      "it takes a value.\n_wildcert_option() {\n    case $1 in\n";
    for (const auto& option : all_options()) {
        const std::string short_name =
            option.short_name != 0 ? std::string{'-', option.short_name} : "''";
        out += arm(option_words(option),
                   "REPLY=(--" + std::string(option.long_name) + " " + mode_of(option) + " " +
                       (option.repeatable ? "repeatable" : "once") + " " + short_name + ")");
    }
    return out + "        *) REPLY=() ;;\n    esac\n}\n\n";
}

std::string options_function() {
    std::string out = "# REPLY=(--LONG...): the options command $1 takes, its own and the "
                      "global ones.\n_wildcert_options() {\n    case $1 in\n";
    std::vector<std::string> globals;
    for (const auto name : global_option_names())
        globals.push_back("--" + std::string(name));
    for (const auto& command : all_commands()) {
        std::vector<std::string> names;
        for (const auto* option : options_of(command))
            names.push_back("--" + std::string(option->long_name));
        out += arm({std::string(command.name)}, "REPLY=(" + join(names, " ") + ")");
    }
    return out + arm({"*"}, "REPLY=(" + join(globals, " ") + ")") + "    esac\n}\n\n";
}

std::string commands_function() {
    std::vector<std::string> names;
    for (const auto* command : offered_commands())
        names.push_back(shell_word(command->name));
    return "# REPLY=(COMMAND...): the commands.\n_wildcert_commands() {\n    REPLY=(" +
           join(names, " ") + ")\n}\n\n";
}

std::string operand_function() {
    std::string out = "# REPLY=(WORD...): what the operand of command $1 may be; fails when it "
                      "takes none.\n_wildcert_operand() {\n    case $1 in\n";
    for (const auto& command : all_commands()) {
        if (command.operand.name.empty())
            continue;
        std::vector<std::string> words;
        for (const auto& word : operand_choices(command))
            words.push_back(shell_word(word));
        out += arm({std::string(command.name)}, "REPLY=(" + join(words, " ") + ")");
    }
    return out + "        *) return 1 ;;\n    esac\n}\n\n";
}

std::string value_function() {
    std::vector<std::string> files, directories, certificates;
    std::string choices;
    for (const auto& option : all_options()) {
        const auto words = option_words(option);
        switch (option.kind) {
        case ValueKind::file:
            files.insert(files.end(), words.begin(), words.end());
            break;
        case ValueKind::directory:
            directories.insert(directories.end(), words.begin(), words.end());
            break;
        case ValueKind::certificate:
            certificates.insert(certificates.end(), words.begin(), words.end());
            break;
        case ValueKind::choice: {
            std::vector<std::string> candidates;
            for (const auto& choice : value_choices(option))
                candidates.push_back(shell_word(choice));
            choices += arm(words, "_wildcert_add \"$2\" \"$3\" " + join(candidates, " "));
            break;
        }
        case ValueKind::word: // free text: nothing to offer
        case ValueKind::none:
            break;
        }
    }
    return "# Completes the value of option $1 begun as $2; each candidate gets $3 in front "
           "(-c, --json=).\n_wildcert_value() {\n    case $1 in\n" +
           arm(files, "_wildcert_files -f \"$2\" \"$3\"") +
           arm(directories, "_wildcert_files -d \"$2\" \"$3\"") +
           arm(certificates, "_wildcert_certificates \"$2\" \"$3\"") + choices + "    esac\n}\n\n";
}

// The values that decide which certificate names there are, kept for list-names.
std::string remember_function() {
    std::string out = "# Keeps the options on the line that `" + std::string(names_command().name) +
                      "` takes, in names=(), for --cert.\n_wildcert_remember() {\n    case $1 "
                      "in\n";
    for (const auto& option : all_options()) {
        if (passed_to_names_command(option))
            out += arm(option_words(option),
                       "names+=(--" + std::string(option.long_name) + " \"${2/#\\~/$HOME}\")");
    }
    return out + "    esac\n}\n\n";
}

// The reader of the line: the same for every table, written once.
constexpr std::string_view k_reader =
    R"(# Adds to COMPREPLY each of the words $3... that starts with $1, with $2 in front.
_wildcert_add() {
    local prefix=$1 attach=$2 word
    shift 2
    for word; do
        [[ $word == "$prefix"* ]] && COMPREPLY+=("$attach$word")
    done
    return 0
}

# The same for the lines of stdin.
_wildcert_add_lines() {
    local prefix=$1 attach=$2 word
    while IFS= read -r word; do
        [[ $word == "$prefix"* ]] && COMPREPLY+=("$attach$word")
    done
    return 0
}

# Files (-f) or folders (-d) whose path starts with $2, shown as paths (a / after a folder).
_wildcert_files() {
    compopt -o filenames 2>/dev/null
    _wildcert_add_lines '' "$3" < <(compgen "$1" -- "$2")
}

# The certificate names for --cert: those of the profiles given with -c on the line, else
# those of the state directory (--state-dir on the line, else the default), as
# `wildcert list-names` prints them.
_wildcert_certificates() {
    _wildcert_add_lines "$1" "$2" < <("$program" list-names "${names[@]}" 2>/dev/null)
}

# An option seen on the line ($1, with its value $2): given once, it is not offered again.
_wildcert_seen() {
    _wildcert_option "$1"
    seen+="${REPLY[0]} "
    _wildcert_remember "$1" "$2"
}

# The options of the command on the line that start with $cur, but those given already.
_wildcert_offer_options() {
    local option
    _wildcert_options "$command"
    for option in "${REPLY[@]}"; do
        _wildcert_option "$option"
        [[ ${REPLY[2]} == once && $seen == *" $option "* ]] && continue
        _wildcert_add "$cur" '' "$option" ${REPLY[3]:+"${REPLY[3]}"}
    done
}

_wildcert() {
    local program=${COMP_WORDS[0]/#\~/$HOME} cur=${COMP_WORDS[COMP_CWORD]}
    local command='' operand='' pending='' seen=' ' word i j
    local -a REPLY=() names=()
    COMPREPLY=()
    # The words before the cursor, read as wildcert's parser reads them: options anywhere,
    # the first other word is the command, the next its operand. COMP_WORDBREAKS splits
    # --opt=VALUE into "--opt" "=" "VALUE"; the word unsplit is understood too.
    for ((i = 1; i < COMP_CWORD; i++)); do
        word=${COMP_WORDS[i]}
        if [[ $word == --?*=* ]]; then
            _wildcert_seen "${word%%=*}" "${word#*=}"
        elif [[ $word == --?* && ${COMP_WORDS[i + 1]} == = ]]; then
            if ((i + 2 >= COMP_CWORD)); then
                pending=$word
                ((i + 1 == COMP_CWORD)) && cur='' # right after the "="
                break
            fi
            _wildcert_seen "$word" "${COMP_WORDS[i + 2]}"
            ((i += 2))
        elif [[ $word == --?* ]]; then
            _wildcert_option "$word"
            if [[ ${REPLY[1]} != required ]]; then
                _wildcert_seen "$word" ''
            elif ((i + 1 == COMP_CWORD)); then
                pending=$word
                break
            else
                ((i++))
                _wildcert_seen "$word" "${COMP_WORDS[i]}"
            fi
        elif [[ $word == -?* ]]; then
            # A cluster: -vv, -cFILE, -vc FILE.
            for ((j = 1; j < ${#word}; j++)); do
                _wildcert_option "-${word:j:1}"
                if [[ ${REPLY[1]} != required ]]; then
                    _wildcert_seen "-${word:j:1}" ''
                    continue
                fi
                if ((j + 1 < ${#word})); then
                    _wildcert_seen "-${word:j:1}" "${word:j+1}"
                elif ((i + 1 == COMP_CWORD)); then
                    pending=-${word:j:1}
                    break 2
                else
                    ((i++))
                    _wildcert_seen "-${word:j:1}" "${COMP_WORDS[i]}"
                fi
                break
            done
        elif [[ -z $command ]]; then
            command=$word
        else
            operand=$word
        fi
    done

    if [[ -n $pending ]]; then
        _wildcert_value "$pending" "$cur" ''
    elif [[ $cur == --?*=* ]]; then
        _wildcert_value "${cur%%=*}" "${cur#*=}" "${cur%%=*}="
    elif [[ $cur == -[!-]?* ]]; then
        # -cFILE: a short option that takes a value, its value begun in the same word.
        for ((j = 1; j < ${#cur} - 1; j++)); do
            _wildcert_option "-${cur:j:1}"
            if [[ ${REPLY[1]} == required ]]; then
                _wildcert_value "-${cur:j:1}" "${cur:j+1}" "${cur:0:j+1}"
                return 0
            fi
        done
        _wildcert_offer_options
    elif [[ $cur == -* ]]; then
        _wildcert_offer_options
    elif [[ -z $command ]]; then
        _wildcert_commands
        _wildcert_add "$cur" '' "${REPLY[@]}"
    elif [[ -z $operand ]] && _wildcert_operand "$command"; then
        _wildcert_add "$cur" '' "${REPLY[@]}"
    else
        _wildcert_offer_options
    fi
    return 0
}

complete -F _wildcert wildcert
)";

} // namespace

std::string bash_completion_script() {
    return "# bash completion for wildcert(1), generated from its command table by `wildcert "
           "completion bash`.\n# Installed as share/bash-completion/completions/wildcert; "
           "or load it with: source <(wildcert completion bash)\n\n" +
           option_function() + options_function() + commands_function() + operand_function() +
           value_function() + remember_function() + std::string(k_reader);
}

} // namespace wildcert::cli
