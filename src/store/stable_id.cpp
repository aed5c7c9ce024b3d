#include "store/stable_id.hpp"

#include <cstdio>

namespace wildcert::store {

namespace {

constexpr std::uint64_t k_fnv_offset_basis = 0xcbf29ce484222325ULL;
constexpr std::uint64_t k_fnv_prime = 0x100000001b3ULL;
// Keeps folder names readable when someone passes an odd URL.
constexpr std::size_t k_max_host_length = 64;

bool is_plain_name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '-';
}

// The host of "scheme://[userinfo@]host[:port]/...", without the port.
std::string_view host_of(std::string_view url) {
    const std::size_t scheme_end = url.find("://");
    if (scheme_end != std::string_view::npos) {
        url.remove_prefix(scheme_end + 3);
    }
    url = url.substr(0, url.find_first_of("/?#"));
    const std::size_t at = url.rfind('@');
    if (at != std::string_view::npos) {
        url.remove_prefix(at + 1);
    }
    if (!url.empty() && url.front() == '[') {
        // IPv6 literal: keep what is inside the brackets.
        const std::size_t close = url.find(']');
        return url.substr(1, close == std::string_view::npos ? std::string_view::npos : close - 1);
    }
    return url.substr(0, url.find(':'));
}

} // namespace

std::uint64_t fnv1a_64(std::string_view text) {
    std::uint64_t hash = k_fnv_offset_basis;
    for (const char c : text) {
        hash ^= static_cast<unsigned char>(c);
        hash *= k_fnv_prime;
    }
    return hash;
}

std::string fnv1a_64_hex(std::string_view text) {
    char buffer[17];
    std::snprintf(buffer, sizeof buffer, "%016llx",
                  static_cast<unsigned long long>(fnv1a_64(text)));
    return std::string(buffer);
}

std::string directory_id(std::string_view directory_url) {
    std::string host;
    for (const char c : host_of(directory_url).substr(0, k_max_host_length)) {
        host += is_plain_name_char(c) ? c : '_';
    }
    // A leading dot would hide the folder from ls; ".." would be a path step.
    if (host.empty() || host.front() == '.') {
        host = "ca" + host;
    }
    return host + "-" + fnv1a_64_hex(directory_url);
}

std::string account_id(std::string_view directory_url, std::string_view eab_key_id) {
    if (eab_key_id.empty()) {
        return directory_id(directory_url);
    }
    return directory_id(directory_url) + "-eab-" + fnv1a_64_hex(eab_key_id);
}

} // namespace wildcert::store
