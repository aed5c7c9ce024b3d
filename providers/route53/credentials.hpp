#pragma once
// Where the Route 53 provider's AWS credentials come from, in order: the profile's own keys
// (access_key_id + secret_access_key [+ session_token], or `profile`), then the standard
// AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN variables, then the shared
// credentials file (AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials) under AWS_PROFILE or
// "default". Mixing sources is refused: keys are never combined from two places.

#include "providers/route53/sigv4.hpp"

#include <wildcert/result.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace wildcert::providers::route53 {

inline constexpr std::string_view k_env_access_key_id = "AWS_ACCESS_KEY_ID";
inline constexpr std::string_view k_env_secret_access_key = "AWS_SECRET_ACCESS_KEY";
inline constexpr std::string_view k_env_session_token = "AWS_SESSION_TOKEN";
inline constexpr std::string_view k_env_profile = "AWS_PROFILE";
inline constexpr std::string_view k_env_credentials_file = "AWS_SHARED_CREDENTIALS_FILE";

// Values set in the profile's [dns.route53] table (not the environment).
struct TableCredentials {
    std::optional<std::string> access_key_id;
    std::optional<std::string> secret_access_key;
    std::optional<std::string> session_token;
    std::optional<std::string> profile;
};

// getenv, injectable for tests; nullopt for unset or empty.
using EnvLookup = std::function<std::optional<std::string>(std::string_view)>;
[[nodiscard]] std::optional<std::string> process_env(std::string_view name);

// Reads a file's text (bounded), injectable for tests; an error names the reason only.
using FileReader = std::function<Result<std::string>(const std::string& path)>;
[[nodiscard]] Result<std::string> read_credentials_file(const std::string& path);

// Errors are ErrorKind::profile, start with "route53: " and never contain a secret.
[[nodiscard]] Result<sigv4::Credentials> resolve_credentials(const TableCredentials& table,
                                                             const EnvLookup& env,
                                                             const FileReader& read_file);

// Parses the INI text of a shared credentials file and returns `profile`'s keys.
// `origin` (the path) is used in errors; no line of the file is ever quoted.
[[nodiscard]] Result<sigv4::Credentials>
parse_shared_credentials(std::string_view text, std::string_view profile, std::string_view origin);

} // namespace wildcert::providers::route53
