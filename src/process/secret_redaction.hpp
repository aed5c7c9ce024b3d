#pragma once
// A hook gets its API credentials from the environment it inherits, and a failing hook may
// echo them to stderr (curl -v prints the Authorization header). Its stderr goes into our error
// message, so values of secret-looking variables are cut out of it first (docs/dev/architecture.md
// §3: providers never print a secret). Deploy hooks' output is cleaned the same way.

#include <span>
#include <string>
#include <string_view>

namespace wildcert::process {

inline constexpr std::string_view k_redacted = "[redacted]";

// True for a variable name that usually holds a credential (TOKEN, SECRET, PASSWORD, KEY,
// CREDENTIAL, AUTH, ... anywhere in the name, any case), except *_FILE and *_PATH (paths).
[[nodiscard]] bool is_secret_name(std::string_view name);

// Replaces, in `text`, every occurrence of the value of each "NAME=value" entry of
// `environment` whose name is secret-looking. Values shorter than 6 bytes are left alone: they
// would blank out ordinary words and are no real credential.
[[nodiscard]] std::string redact_secrets(std::string text,
                                         std::span<const std::string> environment);

} // namespace wildcert::process
