#include "providers/route53/credentials.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>

namespace wildcert::providers::route53 {
namespace {

// A credentials file is a few lines per profile; anything bigger is the wrong file.
constexpr std::size_t k_max_credentials_file_bytes = 1024 * 1024;

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r'))
        text.remove_suffix(1);
    return text;
}

// "key = value  ; comment": a comment must follow whitespace, so values may contain ';'.
std::string_view strip_inline_comment(std::string_view value) {
    for (std::size_t i = 1; i < value.size(); ++i) {
        if ((value[i] == '#' || value[i] == ';') && (value[i - 1] == ' ' || value[i - 1] == '\t'))
            return trim(value.substr(0, i));
    }
    return value;
}

Error credentials_error(const std::string& why) {
    return make_error(ErrorKind::profile, "route53: credentials: " + why);
}

const std::string k_sources =
    "set access_key_id and secret_access_key in [dns.route53], or AWS_ACCESS_KEY_ID and "
    "AWS_SECRET_ACCESS_KEY, or a profile in the shared credentials file";

Result<sigv4::Credentials> from_file(const std::string& profile, const EnvLookup& env,
                                     const FileReader& read_file) {
    std::string path;
    if (auto configured = env(k_env_credentials_file)) {
        path = *configured;
    } else if (auto home = env("HOME")) {
        path = *home + "/.aws/credentials";
    } else {
        return credentials_error("no credentials found: " + k_sources +
                                 " (HOME is not set, so there is no ~/.aws/credentials)");
    }
    auto text = read_file(path);
    if (!text)
        return credentials_error("no credentials found: " + k_sources + " (" + path + ": " +
                                 text.error().message + ")");
    return parse_shared_credentials(text.value(), profile, path);
}

} // namespace

std::optional<std::string> process_env(std::string_view name) {
    const char* value = std::getenv(std::string(name).c_str());
    if (value == nullptr || *value == '\0')
        return std::nullopt;
    return std::string(value);
}

Result<std::string> read_credentials_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return make_error(ErrorKind::io, "cannot open the file");
    std::string text;
    char buffer[4096];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
        text.append(buffer, static_cast<std::size_t>(in.gcount()));
        if (text.size() > k_max_credentials_file_bytes)
            return make_error(ErrorKind::io, "larger than 1 MiB; not a credentials file");
    }
    if (in.bad())
        return make_error(ErrorKind::io, "read error");
    return text;
}

Result<sigv4::Credentials> parse_shared_credentials(std::string_view text, std::string_view profile,
                                                    std::string_view origin) {
    // Sections are bare profile names in the credentials file; keys are case-insensitive.
    std::map<std::string, std::string> keys;
    bool found = false;
    bool in_profile = false;
    std::size_t line_number = 0;
    while (!text.empty()) {
        const auto end = std::min(text.find('\n'), text.size());
        const auto line = trim(text.substr(0, end));
        text.remove_prefix(std::min(end + 1, text.size()));
        ++line_number;
        if (line.empty() || line.front() == '#' || line.front() == ';')
            continue;
        if (line.front() == '[') {
            const auto close = line.find(']');
            if (close == std::string_view::npos)
                return credentials_error(std::string(origin) + ":" + std::to_string(line_number) +
                                         ": unterminated section");
            in_profile = trim(line.substr(1, close - 1)) == profile;
            found = found || in_profile;
            continue;
        }
        if (!in_profile)
            continue;
        const auto equals = line.find('=');
        if (equals == std::string_view::npos)
            continue; // sub-properties and continuation lines carry no credentials
        std::string key(trim(line.substr(0, equals)));
        for (auto& c : key)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        keys[key] = std::string(strip_inline_comment(trim(line.substr(equals + 1))));
    }
    const std::string where = std::string(origin) + ": profile [" + std::string(profile) + "]";
    if (!found)
        return credentials_error(where + " not found");
    sigv4::Credentials credentials{keys["aws_access_key_id"], keys["aws_secret_access_key"],
                                   keys["aws_session_token"]};
    if (credentials.access_key_id.empty() || credentials.secret_access_key.empty())
        return credentials_error(where + " needs both aws_access_key_id and aws_secret_access_key");
    return credentials;
}

Result<sigv4::Credentials> resolve_credentials(const TableCredentials& table, const EnvLookup& env,
                                               const FileReader& read_file) {
    const bool table_keys = table.access_key_id || table.secret_access_key;
    if (table_keys) {
        if (!table.access_key_id || !table.secret_access_key)
            return credentials_error(
                "dns.route53 sets only one of access_key_id and secret_access_key; set both");
        if (table.profile)
            return credentials_error(
                "dns.route53 sets both keys and profile; choose one source of credentials");
        return sigv4::Credentials{*table.access_key_id, *table.secret_access_key,
                                  table.session_token.value_or("")};
    }
    if (table.session_token)
        return credentials_error("dns.route53.session_token needs access_key_id and "
                                 "secret_access_key in the same table");
    if (table.profile)
        return from_file(*table.profile, env, read_file);

    auto env_key = env(k_env_access_key_id);
    auto env_secret = env(k_env_secret_access_key);
    if (env_key || env_secret) {
        if (!env_key || !env_secret)
            return credentials_error(
                "only one of AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY is set; set both");
        return sigv4::Credentials{*env_key, *env_secret, env(k_env_session_token).value_or("")};
    }
    return from_file(env(k_env_profile).value_or("default"), env, read_file);
}

} // namespace wildcert::providers::route53
