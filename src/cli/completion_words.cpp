#include "cli/completion_words.hpp"

#include <algorithm>

namespace wildcert::cli::completion {

std::vector<const CommandSpec*> offered_commands() {
    std::vector<const CommandSpec*> commands;
    for (const auto& command : all_commands()) {
        if (!command.hidden)
            commands.push_back(&command);
    }
    return commands;
}

const CommandSpec& names_command() {
    return command_spec(Command::list_names);
}

bool passed_to_names_command(const OptionSpec& option) {
    return takes_option(names_command(), option) && !is_global_option(option);
}

std::vector<std::string> value_choices(const OptionSpec& option) {
    if (option.kind != ValueKind::choice || option.choices == nullptr)
        return {};
    return option.choices();
}

std::vector<std::string> operand_choices(const CommandSpec& command) {
    if (command.operand.name.empty() || command.operand.choices == nullptr)
        return {};
    return command.operand.choices();
}

std::vector<std::string> option_words(const OptionSpec& option) {
    std::vector<std::string> words{"--" + std::string(option.long_name)};
    if (option.short_name != 0)
        words.push_back(std::string{'-', option.short_name});
    return words;
}

std::string brief(std::string_view text) {
    std::string out;
    int depth = 0;
    for (const char c : text) {
        if (c == '(')
            ++depth;
        if (depth == 0)
            out += c;
        if (c == ')' && depth > 0)
            --depth;
    }
    // "deactivate (cannot be undone), delete" left "deactivate , delete" behind.
    for (const std::string_view gap : {"  ", " ,", " ;"}) {
        for (auto at = out.find(gap); at != std::string::npos; at = out.find(gap))
            out.erase(at, 1);
    }
    if (const auto end = out.find("; "); end != std::string::npos)
        out.resize(end);
    while (!out.empty() && (out.back() == ' ' || out.back() == ';'))
        out.pop_back();
    return out;
}

std::string shell_word(std::string_view word) {
    const bool plain = !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '-' || c == '_' || c == '.' || c == '/' || c == '+' || c == '=' || c == ',';
    });
    if (plain)
        return std::string(word);
    std::string out = "'";
    for (const char c : word)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

std::string fish_quote(std::string_view text) {
    std::string out = "'";
    for (const char c : text) {
        if (c == '\'' || c == '\\')
            out += '\\';
        out += c;
    }
    return out + "'";
}

std::string join(const std::vector<std::string>& words, std::string_view separator) {
    std::string out;
    for (const auto& word : words)
        out += (out.empty() ? "" : std::string(separator)) + word;
    return out;
}

} // namespace wildcert::cli::completion
