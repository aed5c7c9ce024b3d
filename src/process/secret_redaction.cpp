#include "process/secret_redaction.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

namespace wildcert::process {
namespace {

constexpr std::size_t k_min_secret_size = 6;

// "PASS" also covers PASSWORD and PASSWD.
constexpr std::array<std::string_view, 7> k_secret_words{
    "TOKEN", "SECRET", "PASS", "KEY", "CREDENTIAL", "AUTH", "PRIVATE",
};

constexpr std::array<std::string_view, 2> k_path_suffixes{"_FILE", "_PATH"};

std::string upper(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return out;
}

} // namespace

bool is_secret_name(std::string_view name) {
    const auto key = upper(name);
    for (const auto suffix : k_path_suffixes) {
        if (key.size() > suffix.size() && key.ends_with(suffix))
            return false;
    }
    return std::any_of(k_secret_words.begin(), k_secret_words.end(),
                       [&](std::string_view word) { return key.find(word) != std::string::npos; });
}

std::string redact_secrets(std::string text, std::span<const std::string> environment) {
    std::vector<std::string_view> secrets;
    for (const auto& entry : environment) {
        const auto equals = entry.find('=');
        if (equals == std::string::npos)
            continue;
        const std::string_view view(entry);
        const auto value = view.substr(equals + 1);
        if (value.size() >= k_min_secret_size && is_secret_name(view.substr(0, equals)))
            secrets.push_back(value);
    }
    // Longest first, so that a secret containing another is cut out whole.
    std::sort(secrets.begin(), secrets.end(),
              [](std::string_view a, std::string_view b) { return a.size() > b.size(); });
    for (const auto secret : secrets) {
        for (auto at = text.find(secret); at != std::string::npos;
             at = text.find(secret, at + k_redacted.size()))
            text.replace(at, secret.size(), k_redacted);
    }
    return text;
}

} // namespace wildcert::process
