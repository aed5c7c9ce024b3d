#include "config/interpolate.hpp"

#include <cstdlib>

namespace wildcert::config {
namespace {

bool is_name_start(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

bool is_name_char(char c) {
    return is_name_start(c) || (c >= '0' && c <= '9');
}

bool is_valid_name(std::string_view name) {
    if (name.empty() || !is_name_start(name.front()))
        return false;
    for (const char c : name) {
        if (!is_name_char(c))
            return false;
    }
    return true;
}

} // namespace

std::optional<std::string> process_environment(const std::string& name) {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr)
        return std::nullopt;
    return std::string(value);
}

Result<Interpolated> interpolate(std::string_view text, const EnvLookup& env) {
    Interpolated out;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t dollar = text.find('$', pos);
        if (dollar == std::string_view::npos) {
            out.text.append(text.substr(pos));
            break;
        }
        out.text.append(text.substr(pos, dollar - pos));
        const std::string_view rest = text.substr(dollar);
        if (rest.substr(0, 3) == "$${") {
            out.text.append("${");
            pos = dollar + 3;
            continue;
        }
        if (rest.substr(0, 2) != "${") {
            out.text.push_back('$');
            pos = dollar + 1;
            continue;
        }
        const std::size_t close = text.find('}', dollar + 2);
        if (close == std::string_view::npos) {
            return make_error(ErrorKind::profile,
                              "'${' without a closing '}' (write '$${' for a literal '${')");
        }
        const std::string name(text.substr(dollar + 2, close - dollar - 2));
        if (!is_valid_name(name)) {
            return make_error(ErrorKind::profile,
                              "'${" + name +
                                  "}' is not a valid variable reference (names are letters, "
                                  "digits and '_'; write '$${' for a literal '${')");
        }
        const auto value = env(name);
        if (!value)
            return make_error(ErrorKind::profile, "environment variable " + name + " is not set");
        out.text.append(*value);
        out.substituted = true;
        pos = close + 1;
    }
    return out;
}

} // namespace wildcert::config
