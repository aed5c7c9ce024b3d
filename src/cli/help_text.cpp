#include "cli/help_text.hpp"

#include "cli/exit_codes.hpp"
#include "cli/text_wrap.hpp"

#include <iostream>

namespace wildcert::cli {
namespace {

constexpr std::size_t k_label_width = 25;

// "providers [NAME]", "account ACTION": a command as the overview lists it.
std::string command_label(const CommandSpec& command) {
    std::string label(command.name);
    if (!command.operand.name.empty()) {
        const std::string operand(command.operand.name);
        label += command.operand.required ? " " + operand : " [" + operand + "]";
    }
    return label;
}

std::string option_text(const OptionSpec& option) {
    std::string text(option.help);
    if (option.repeatable && text.find("repeatable") == std::string::npos)
        text += " (repeatable)";
    return text;
}

// Paragraphs separated by "\n\n", each wrapped.
std::string paragraphs(std::string_view text, std::string_view indent) {
    std::string out;
    for (const auto paragraph : split_paragraphs(text))
        out += (out.empty() ? "" : "\n") + wrap_text(paragraph, indent);
    return out;
}

std::string exit_code_list() {
    std::string out = "Exit codes:\n";
    for (const auto& [code, meaning] : k_exit_codes)
        out += hanging("  ", std::to_string(code), 5, meaning);
    return out + wrap_text(k_exit_precedence, "");
}

} // namespace

std::string usage_text() {
    std::string out = "Usage: wildcert COMMAND [OPTIONS]\n"
                      "       wildcert COMMAND --help    (or: wildcert help COMMAND)\n\n"
                      "Obtains TLS certificates from an ACME CA (RFC 8555) through DNS-01 "
                      "challenges.\n\nCommands:\n";
    for (const auto& command : all_commands()) {
        if (!command.hidden)
            out += hanging("  ", command_label(command), k_label_width - 2, command.summary);
    }
    out += "\nOptions (each command's --help says which it takes):\n";
    for (const auto& option : all_options()) {
        std::string owners;
        for (const auto& command : all_commands()) {
            if (!command.hidden && takes_option(command, option))
                owners += (owners.empty() ? "" : ", ") + std::string(command.name);
        }
        const std::string text =
            option_text(option) + "; " + (is_global_option(option) ? "every command" : owners);
        out += hanging("  ", option_label(option), k_label_width, text);
    }
    out += "\n" + exit_code_list();
    out += "\nCertificates land in <state>/live/<name>/{privkey,cert,chain,fullchain}.pem.\n"
           "The profile format: man wildcert.toml; everything here: man wildcert.\n";
    return out;
}

std::string command_help(const CommandSpec& command) {
    std::string out;
    for (std::size_t i = 0; i < command.synopsis.size(); ++i) {
        const std::string_view line = command.synopsis[i];
        // A line that starts with a space goes on with the one before it.
        out += std::string(i == 0 ? "Usage: " : "       ") +
               (line.starts_with(' ') ? "         " : "wildcert ") + std::string(line) + '\n';
    }
    out += '\n' + wrap_text(std::string(command.summary) + ".", "");
    out += '\n' + paragraphs(command.description, "");
    out += "\nOptions:\n";
    for (const auto* option : options_of(command))
        out += hanging("  ", option_label(*option), k_label_width, option_text(*option));
    if (!command.examples.empty()) {
        out += "\nExamples:\n";
        for (const auto& example : command.examples)
            out += "  wildcert " + std::string(example.command) + '\n' +
                   wrap_text(example.what, "      ");
    }
    out += "\nExit codes: see wildcert --help.\n";
    return out;
}

int run_help(const Arguments& arguments) {
    if (arguments.help_topic) {
        if (const auto* command = find_command(*arguments.help_topic)) {
            std::cout << command_help(*command);
            return k_exit_ok;
        }
    }
    std::cout << usage_text();
    return k_exit_ok;
}

} // namespace wildcert::cli
