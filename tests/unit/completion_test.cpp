// Unit tests for the shell completion scripts (completion_script.hpp): each of the three
// offers every command of the table and, for each command, every option it takes with the
// completion its ValueKind asks for. What the shells make of them is tested by
// tests/hooks/completion_test.sh.
#include "cli/arguments.hpp"
#include "cli/command_table.hpp"
#include "cli/completion_script.hpp"
#include "cli/completion_words.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

using namespace wildcert;
using namespace wildcert::cli;

namespace {

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// The first line that contains every one of `parts`; "" when none does.
std::string line_with(const std::string& script, const std::vector<std::string>& parts) {
    std::istringstream in(script);
    for (std::string line; std::getline(in, line);) {
        bool all = true;
        for (const auto& part : parts)
            all = all && contains(line, part);
        if (all)
            return line;
    }
    return "";
}

// The zsh script's _arguments call for one command: from "(NAME)" to its "&& ret=0 ;;".
std::string zsh_block(const std::string& script, std::string_view command) {
    const std::string start = "            (" + std::string(command) + ")\n";
    const auto begin = script.find(start);
    if (begin == std::string::npos)
        return "";
    return script.substr(begin, script.find("&& ret=0 ;;", begin) - begin);
}

// The bash script's case arm for `word` that runs a _wildcert_ function: the value's completion
// ("--config|-c|--env-file) _wildcert_files -f ...").
std::string bash_value_arm(const std::string& script, const std::string& word) {
    std::istringstream in(script);
    for (std::string line; std::getline(in, line);) {
        const auto end = line.find(") _wildcert_");
        if (end == std::string::npos)
            continue;
        std::istringstream patterns(line.substr(0, end));
        for (std::string pattern; std::getline(patterns, pattern, '|');) {
            if (pattern.substr(pattern.find_first_not_of(' ')) == word)
                return line;
        }
    }
    return "";
}

// A bash case arm with its parentheses as spaces: every word has a space on each side.
std::string spaced(std::string line) {
    std::replace(line.begin(), line.end(), '(', ' ');
    std::replace(line.begin(), line.end(), ')', ' ');
    return line + " ";
}

std::string long_word(const OptionSpec& option) {
    return "--" + std::string(option.long_name);
}

} // namespace

TEST_SUITE("completion scripts") {
    TEST_CASE("bash: every command, and every option of each with its value") {
        const std::string script = bash_completion_script();
        CHECK(contains(script, "\ncomplete -F _wildcert wildcert\n"));
        const std::string commands = spaced(line_with(script, {"    REPLY=(issue "}));
        for (const auto* command : completion::offered_commands())
            CHECK_MESSAGE(contains(commands, " " + std::string(command->name) + " "),
                          command->name);
        CHECK_FALSE(contains(commands, "list-names"));
        CHECK(contains(commands, " completion "));
        for (const auto& command : all_commands()) {
            const std::string arm =
                spaced(line_with(script, {"        " + std::string(command.name) + ") REPLY=(--"}));
            REQUIRE_MESSAGE(!arm.empty(), command.name);
            for (const auto* option : options_of(command))
                CHECK_MESSAGE(contains(arm, " " + long_word(*option) + " "), command.name, " ",
                              option->long_name);
        }
        for (const auto& option : all_options()) {
            // How it is spelt and takes its value: no option is missing from the reader.
            const std::string short_name =
                option.short_name != 0 ? "|-" + std::string(1, option.short_name) : "";
            const std::string spec =
                line_with(script, {"        " + long_word(option) + short_name + ") REPLY=(" +
                                   long_word(option) + " "});
            CHECK_MESSAGE(!spec.empty(), option.long_name);
            CHECK(contains(spec, option.value == ValueMode::required   ? " required "
                                 : option.value == ValueMode::optional ? " optional "
                                                                       : " none "));
            const std::string value_arm = bash_value_arm(script, long_word(option));
            switch (option.kind) {
            case ValueKind::file:
                CHECK_MESSAGE(contains(value_arm, "_wildcert_files -f"), option.long_name);
                break;
            case ValueKind::directory:
                CHECK_MESSAGE(contains(value_arm, "_wildcert_files -d"), option.long_name);
                break;
            case ValueKind::certificate:
                CHECK_MESSAGE(contains(value_arm, "_wildcert_certificates"), option.long_name);
                break;
            case ValueKind::choice:
                for (const auto& choice : completion::value_choices(option))
                    CHECK_MESSAGE(contains(value_arm, " " + choice), option.long_name, " ", choice);
                break;
            case ValueKind::word:
            case ValueKind::none:
                CHECK_MESSAGE(value_arm.empty(), option.long_name);
                break;
            }
        }
        // The operands, and what list-names gets from the line.
        CHECK(contains(script, "        account) REPLY=(show update-contact rollover deactivate)"));
        CHECK(contains(line_with(script, {"        help) REPLY=(issue "}), " renew "));
        CHECK(contains(script, "        providers) REPLY=(rfc2136 "));
        CHECK(contains(script, "        completion) REPLY=(bash zsh fish)"));
        CHECK(contains(script, "        --config|-c) names+=(--config "));
        CHECK(contains(script, "        --state-dir) names+=(--state-dir "));
        CHECK(contains(script, "\"$program\" list-names \"${names[@]}\""));
    }

    TEST_CASE("zsh: every command, and every option of each with its value") {
        const std::string script = zsh_completion_script();
        CHECK(script.starts_with("#compdef wildcert\n"));
        CHECK(contains(script, "compdef _wildcert wildcert"));
        for (const auto* command : completion::offered_commands()) {
            CHECK(contains(script, "        " +
                                       completion::shell_word(std::string(command->name) + ":" +
                                                              completion::brief(command->summary)) +
                                       "\n"));
            const std::string block = zsh_block(script, command->name);
            REQUIRE_MESSAGE(!block.empty(), command->name);
            for (const auto* option : options_of(*command)) {
                const std::string spelling =
                    long_word(*option) + (option->value == ValueMode::required   ? "=["
                                          : option->value == ValueMode::optional ? "=-["
                                                                                 : "[");
                const std::string spec = line_with(block, {spelling});
                CHECK_MESSAGE(!spec.empty(), command->name, " ", spelling);
                if (option->short_name != 0)
                    CHECK_MESSAGE(contains(block, std::string{'-', option->short_name}),
                                  command->name, " -", option->short_name);
                if (option->kind == ValueKind::file)
                    CHECK(contains(spec, ":_files'"));
                if (option->kind == ValueKind::directory)
                    CHECK(contains(spec, ":_files -/'"));
                if (option->kind == ValueKind::certificate)
                    CHECK(contains(spec, ":_wildcert_certificates'"));
                for (const auto& choice : completion::value_choices(*option))
                    CHECK_MESSAGE(contains(spec, choice), option->long_name, " ", choice);
            }
            const std::string operand = line_with(block, {"'1:"});
            CHECK(operand.empty() == command->operand.name.empty());
            for (const auto& word : completion::operand_choices(*command))
                CHECK_MESSAGE(contains(operand, word), command->name, " ", word);
        }
        CHECK(zsh_block(script, "list-names").empty());
        CHECK(contains(script, "(-c|--config)") == false); // spelt long first
        CHECK(contains(script, "(--config|-c) "));
        CHECK(contains(script, "(--state-dir) "));
    }

    TEST_CASE("fish: every command, and every option of each with its value") {
        const std::string script = fish_completion_script();
        for (const auto* command : completion::offered_commands()) {
            CHECK_MESSAGE(!line_with(script, {"-n __wildcert_needs_command -a " +
                                              completion::fish_quote(command->name) + " "})
                               .empty(),
                          command->name);
            for (const auto* option : options_of(*command)) {
                const std::string condition =
                    is_global_option(*option)
                        ? "complete -c wildcert "
                        : "-n '__wildcert_using " + std::string(command->name) + "'";
                const std::string line =
                    line_with(script, {condition, " -l " + std::string(option->long_name) + " "});
                CHECK_MESSAGE(!line.empty(), command->name, " --", option->long_name);
                if (option->short_name != 0)
                    CHECK(contains(line, " -s " + std::string(1, option->short_name) + " "));
                if (option->value == ValueMode::required && option->kind == ValueKind::file)
                    CHECK(contains(line, " -r -F "));
                if (option->value == ValueMode::required && option->kind == ValueKind::directory)
                    CHECK(contains(line, "__fish_complete_directories"));
                if (option->kind == ValueKind::certificate)
                    CHECK(contains(line, "(__wildcert_certificates)"));
                for (const auto& choice : completion::value_choices(*option)) {
                    // An optional value is offered as --json=stream.
                    const std::string offered = option->value == ValueMode::optional
                                                    ? long_word(*option) + "=" + choice
                                                    : choice;
                    const std::string guard =
                        option->value == ValueMode::optional
                            ? "-n '__wildcert_using " + std::string(command->name) + "; and "
                            : condition;
                    CHECK_MESSAGE(!line_with(script, {guard, offered}).empty(), option->long_name,
                                  " ", choice);
                }
            }
            const auto operands = completion::operand_choices(*command);
            if (!operands.empty())
                CHECK(!line_with(script,
                                 {"__wildcert_wants_operand " + std::string(command->name) + "'",
                                  operands.front()})
                           .empty());
        }
        CHECK(line_with(script, {"__wildcert_using list-names"}).empty());
    }

    TEST_CASE("no option of the table is left out of any script") {
        const std::string bash = bash_completion_script();
        const std::string zsh = zsh_completion_script();
        const std::string fish = fish_completion_script();
        for (const auto& option : all_options()) {
            bool offered = is_global_option(option);
            for (const auto* command : completion::offered_commands())
                offered = offered || takes_option(*command, option);
            CHECK_MESSAGE(offered, option.long_name, " belongs to no command a user is offered");
            CHECK(contains(bash, long_word(option)));
            CHECK(contains(zsh, long_word(option)));
            CHECK(contains(fish, "-l " + std::string(option.long_name) + " "));
        }
    }

    TEST_CASE("completion SHELL: parsed, and the script printed is the generated one") {
        for (const auto& shell : completion_shells()) {
            const auto parsed = parse_arguments({"completion", shell});
            REQUIRE_MESSAGE(parsed.ok(), parsed.error().message);
            CHECK(parsed->command == Command::completion);
            CHECK(parsed->completion_shell == shell);
            CHECK(completion_script(shell).has_value());
        }
        const auto unknown = parse_arguments({"completion", "tcsh"});
        REQUIRE_FALSE(unknown.ok());
        CHECK(contains(unknown.error().message, "completion tcsh: expected bash, zsh or fish"));
        const auto missing = parse_arguments({"completion"});
        REQUIRE_FALSE(missing.ok());
        CHECK(contains(missing.error().message, "completion needs a shell"));
        CHECK_FALSE(completion_script("tcsh"));
    }

    TEST_CASE("quoting and menu text") {
        CHECK(completion::shell_word("ec-p256") == "ec-p256");
        CHECK(completion::shell_word("it's") == "'it'\\''s'");
        CHECK(completion::shell_word("a b") == "'a b'");
        CHECK(completion::fish_quote("it's \\") == "'it\\'s \\\\'");
        CHECK(completion::brief("the state directory (default: x; y)") == "the state directory");
        CHECK(completion::brief("the TOML profile; renew, list") == "the TOML profile");
        CHECK(completion::brief("wait (forever) for them") == "wait for them");
    }
}
