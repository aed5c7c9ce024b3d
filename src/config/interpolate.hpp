#pragma once
// ${VAR} substitution in profile strings (docs/dev/architecture.md §5).
//
// Syntax: "${NAME}" is replaced by the environment variable NAME ([A-Za-z_][A-Za-z0-9_]*); it
// is an error when NAME is not set (an empty value is fine). "$${" stands for a literal "${",
// so "$${HOME}" yields "${HOME}". Any other "$" is literal. Substituted text is not scanned
// again, so a value that itself contains "${" is taken as it is.

#include <wildcert/result.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace wildcert::config {

using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

// Looks a name up in the process environment.
[[nodiscard]] std::optional<std::string> process_environment(const std::string& name);

struct Interpolated {
    std::string text;
    bool substituted = false; // true when at least one ${VAR} was replaced
};

// Errors are ErrorKind::profile and name the variable, never a value.
[[nodiscard]] Result<Interpolated> interpolate(std::string_view text, const EnvLookup& env);

} // namespace wildcert::config
