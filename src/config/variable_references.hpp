#pragma once
// The environment variables a profile's text reads through ${VAR} (interpolate.hpp's syntax),
// found without the variables being set: `wildcert schedule` lists them in the environment
// file it creates, so that the scheduled run has what an interactive one had.

#include <string>
#include <string_view>
#include <vector>

namespace wildcert::config {

// Every NAME of a "${NAME}" in `text`, sorted, each once. "$${" is a literal "${" and starts
// no reference; a "${" without a valid name and "}" is not one either. Lines whose first
// non-blank character is '#' are comments and skipped.
[[nodiscard]] std::vector<std::string> referenced_variables(std::string_view text);

} // namespace wildcert::config
