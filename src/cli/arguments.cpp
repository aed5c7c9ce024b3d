#include "cli/arguments.hpp"

#include "cli/account_arguments.hpp"
#include "cli/command_table.hpp"
#include "cli/renewal_arguments.hpp"
#include "cli/schedule_command.hpp"
#include "common/did_you_mean.hpp"

#include <cstdlib>
#include <map>
#include <unistd.h>

namespace wildcert::cli {

using common::did_you_mean;
namespace {

// Where an error points the reader: the command's own help once the command is known.
std::string see_help(const CommandSpec* command) {
    return command == nullptr ? " (see wildcert --help)"
                              : " (see wildcert " + std::string(command->name) + " --help)";
}

Error usage_error(const CommandSpec* command, const std::string& message) {
    return Error{ErrorKind::usage, message + see_help(command)};
}

// Where the command word is: the first word that is neither an option nor an option's
// value. Options are looked up among all of them (each long name is declared once, so
// whether it takes a value does not depend on the command).
std::optional<std::size_t> command_position(const std::vector<std::string>& args) {
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg.starts_with("--") && arg.size() > 2) {
            const auto equals = arg.find('=');
            const auto* option = find_long_option(arg.substr(2, equals - 2));
            if (option != nullptr && option->value == ValueMode::required &&
                equals == std::string::npos)
                ++i;
        } else if (arg.size() > 1 && arg[0] == '-') {
            for (std::size_t j = 1; j < arg.size(); ++j) {
                const auto* option = find_short_option(arg[j]);
                if (option == nullptr || option->value != ValueMode::required)
                    continue;
                if (j + 1 == arg.size())
                    ++i;
                break;
            }
        } else {
            return i;
        }
    }
    return std::nullopt;
}

class Parser {
public:
    Parser(const std::vector<std::string>& args, const CommandSpec* command)
        : m_args(args), m_command(command) {}

    Result<Arguments> parse(std::optional<std::size_t> command_at) {
        Arguments parsed;
        if (m_command != nullptr)
            parsed.command = m_command->command;
        bool have_operand = false;
        for (m_next = 0; m_next < m_args.size();) {
            const std::size_t at = m_next++;
            const std::string& arg = m_args[at];
            if (command_at && at == *command_at)
                continue;
            if (arg.starts_with("--") && arg.size() > 2) {
                WILDCERT_CHECK(long_option(parsed, arg));
            } else if (arg.size() > 1 && arg[0] == '-') {
                WILDCERT_CHECK(short_options(parsed, arg));
            } else if (m_command == nullptr || m_command->operand.name.empty() || have_operand) {
                return usage_error(m_command, "unexpected argument \"" + arg + "\"");
            } else {
                WILDCERT_CHECK(m_command->operand.apply(parsed, arg));
                have_operand = true;
            }
        }
        return parsed;
    }

private:
    const std::vector<std::string>& m_args;
    const CommandSpec* m_command;
    std::size_t m_next = 0;
    std::map<const OptionSpec*, int> m_seen;

    // An option that exists but belongs to other commands, or one that does not exist.
    Error unknown(const std::string& spelled, std::string_view name, const OptionSpec* option) {
        if (option != nullptr && m_command != nullptr) {
            std::string owners;
            for (const auto& command : all_commands()) {
                if (!command.hidden && takes_option(command, *option))
                    owners += (owners.empty() ? "" : ", ") + std::string(command.name);
            }
            return usage_error(m_command, spelled + " is not an option of " +
                                              std::string(m_command->name) + " (it is one of " +
                                              owners + ")");
        }
        std::vector<std::string> names;
        if (m_command != nullptr) {
            for (const auto* own : options_of(*m_command))
                names.emplace_back(own->long_name);
        } else {
            for (const auto& any : all_options())
                names.emplace_back(any.long_name);
        }
        return usage_error(m_command,
                           "unknown option " + spelled + did_you_mean(name, names, "--"));
    }

    bool allowed(const OptionSpec& option) const {
        return m_command == nullptr || takes_option(*m_command, option);
    }

    Result<void> apply(Arguments& parsed, const OptionSpec& option, const std::string& spelled,
                       std::string_view value) {
        if (!option.repeatable && m_seen[&option]++ > 0)
            return usage_error(m_command, spelled + " is given twice");
        return option.apply(parsed, value);
    }

    // The value of an option that needs one: after '=' or in the next word.
    Result<std::string> value_of(const OptionSpec& option, const std::string& spelled,
                                 std::optional<std::string> attached) {
        if (!attached) {
            if (m_next >= m_args.size())
                return usage_error(m_command, spelled + " needs a value: " + spelled + " " +
                                                  std::string(option.value_name));
            attached = m_args[m_next++];
        }
        if (attached->empty())
            return usage_error(m_command, spelled + " needs a value: " + spelled + " " +
                                              std::string(option.value_name));
        return std::move(*attached);
    }

    Result<void> long_option(Arguments& parsed, const std::string& arg) {
        const auto equals = arg.find('=');
        const std::string name = arg.substr(2, equals - 2);
        const std::string spelled = "--" + name;
        std::optional<std::string> attached;
        if (equals != std::string::npos)
            attached = arg.substr(equals + 1);
        const OptionSpec* option = find_long_option(name);
        if (option == nullptr || !allowed(*option))
            return unknown(spelled, name, option);
        switch (option->value) {
        case ValueMode::none:
            if (attached)
                return usage_error(m_command, spelled + " takes no value");
            return apply(parsed, *option, spelled, "");
        case ValueMode::optional:
            return apply(parsed, *option, spelled, attached.value_or(""));
        case ValueMode::required: {
            WILDCERT_TRY(const std::string value, value_of(*option, spelled, attached));
            return apply(parsed, *option, spelled, value);
        }
        }
        return {};
    }

    // -v, -vv, -cFILE, -c FILE, -vc FILE.
    Result<void> short_options(Arguments& parsed, const std::string& arg) {
        for (std::size_t j = 1; j < arg.size(); ++j) {
            const std::string spelled = std::string("-") + arg[j];
            const OptionSpec* option = find_short_option(arg[j]);
            if (option == nullptr) {
                // "-json" for "--json" is the likelier slip than a cluster of letters.
                const std::string word = arg.substr(1);
                const std::string shown = j == 1 && arg.size() > 2 ? arg : spelled;
                return unknown(shown, j == 1 ? word : spelled.substr(1), nullptr);
            }
            if (!allowed(*option))
                return unknown(spelled, spelled.substr(1), option);
            if (option->value != ValueMode::required) {
                WILDCERT_CHECK(apply(parsed, *option, spelled, ""));
                continue;
            }
            std::optional<std::string> attached;
            if (j + 1 < arg.size())
                attached = arg.substr(j + 1);
            WILDCERT_TRY(const std::string value, value_of(*option, spelled, attached));
            return apply(parsed, *option, spelled, value);
        }
        return {};
    }
};

// The rules beyond single options: which combinations each command allows.
Result<void> check_command_rules(const CommandSpec& command, const Arguments& parsed) {
    WILDCERT_CHECK(check_account_and_revoke(parsed));
    WILDCERT_CHECK(check_renewal_options(parsed));
    WILDCERT_CHECK(check_schedule_arguments(parsed));
    if (parsed.command == Command::completion && parsed.completion_shell.empty())
        return usage_error(&command, "completion needs a shell: bash, zsh or fish");
    if (command.needs_profile && parsed.profiles.empty())
        return usage_error(&command, std::string(command.name) + " needs a profile: -c PROFILE");
    return {};
}

} // namespace

Result<Arguments> parse_arguments(const std::vector<std::string>& args) {
    const auto command_at = command_position(args);
    const CommandSpec* command = nullptr;
    if (command_at) {
        const std::string& word = args[*command_at];
        command = find_command(word);
        if (command == nullptr)
            return usage_error(nullptr, "unknown command \"" + word + "\"" +
                                            did_you_mean(word, command_names()));
    }
    WILDCERT_TRY(Arguments parsed, Parser(args, command).parse(command_at));
    if (parsed.version) {
        parsed.command = Command::version;
        return parsed;
    }
    if (parsed.help) {
        if (command != nullptr && command->command != Command::help)
            parsed.help_topic = std::string(command->name);
        parsed.command = Command::help;
        return parsed;
    }
    if (command == nullptr)
        return usage_error(nullptr, "no command given");
    if (parsed.help_topic && find_command(*parsed.help_topic) == nullptr)
        return usage_error(command, "no command \"" + *parsed.help_topic + "\"" +
                                        did_you_mean(*parsed.help_topic, command_names()));
    WILDCERT_CHECK(check_command_rules(*command, parsed));
    return parsed;
}

Result<std::filesystem::path> state_dir_for(const Arguments& arguments) {
    if (arguments.state_dir)
        return *arguments.state_dir;
    if (const char* env = std::getenv("WILDCERT_STATE_DIR"); env && *env)
        return std::filesystem::path(env);
    if (geteuid() == 0)
        return std::filesystem::path("/var/lib/wildcert");
    // The XDG base-directory rules ignore a relative XDG_STATE_HOME; so does wildcert.
    if (const char* xdg = std::getenv("XDG_STATE_HOME"); xdg && *xdg == '/')
        return std::filesystem::path(xdg) / "wildcert";
    if (const char* home = std::getenv("HOME"); home && *home == '/')
        return std::filesystem::path(home) / ".local/state/wildcert";
    return Error{ErrorKind::usage,
                 "no state directory: HOME is not set (or not an absolute path); give "
                 "--state-dir DIR or set WILDCERT_STATE_DIR"};
}

} // namespace wildcert::cli
