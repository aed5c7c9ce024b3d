#pragma once
// The effective configuration as text, for `-v` and `wildcert config`.

#include <wildcert/profile.hpp>

#include <functional>
#include <string>
#include <string_view>

namespace wildcert::config {

// Says whether a provider setting holds a secret (the provider descriptors know).
using SecretPredicate = std::function<bool(std::string_view provider, std::string_view key)>;

// Prints the profile as TOML after defaults, known CA names, ${VAR} and <key>_file were
// applied. Provider settings for which `is_secret` is true are shown as "<redacted>", and each
// provider setting carries a comment with the file and line it came from. Idempotent; the
// output never contains a value `is_secret` flags.
[[nodiscard]] std::string describe_profile(const Profile& profile,
                                           const SecretPredicate& is_secret);

} // namespace wildcert::config
