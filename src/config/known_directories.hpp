#pragma once
// ACME directories that a profile may name instead of spelling out the URL (acme.directory).
// Each URL was checked against the CA's or a widely used client's public documentation.

#include <array>
#include <optional>
#include <string_view>

namespace wildcert::config {

struct KnownDirectory {
    std::string_view name;
    std::string_view url;
};

inline constexpr std::array<KnownDirectory, 8> k_known_directories{{
    {"letsencrypt", "https://acme-v02.api.letsencrypt.org/directory"},
    {"letsencrypt-staging", "https://acme-staging-v02.api.letsencrypt.org/directory"},
    {"zerossl", "https://acme.zerossl.com/v2/DV90"},
    {"google", "https://dv.acme-v02.api.pki.goog/directory"},
    {"google-staging", "https://dv.acme-v02.test-api.pki.goog/directory"},
    {"buypass", "https://api.buypass.com/acme/directory"},
    {"buypass-staging", "https://api.test4.buypass.no/acme/directory"},
    {"actalis", "https://acme-api.actalis.com/acme/directory"},
}};

// The URL for a known name; nullopt for anything else (URLs included).
[[nodiscard]] constexpr std::optional<std::string_view> known_directory_url(std::string_view name) {
    for (const auto& entry : k_known_directories) {
        if (entry.name == name)
            return entry.url;
    }
    return std::nullopt;
}

} // namespace wildcert::config
