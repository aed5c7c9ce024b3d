#include "core/caa_identities.hpp"

#include "http/url.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace wildcert::core {
namespace {

struct KnownCa {
    std::string_view host_suffix; // the directory host ends with this (after a dot or equal)
    std::string_view identity;    // what the CA documents for CAA issue properties
};

// From each CA's own CAA documentation. ZeroSSL issues through Sectigo and names it.
constexpr std::array<KnownCa, 5> k_known_cas{{
    {"letsencrypt.org", "letsencrypt.org"},
    {"zerossl.com", "sectigo.com"},
    {"pki.goog", "pki.goog"},
    {"buypass.com", "buypass.com"},
    {"actalis.com", "actalis.it"},
}};

bool has_suffix(std::string_view host, std::string_view suffix) {
    if (host == suffix)
        return true;
    return host.size() > suffix.size() && host.substr(host.size() - suffix.size()) == suffix &&
           host[host.size() - suffix.size() - 1] == '.';
}

} // namespace

std::string known_caa_identity(std::string_view directory_url) {
    const auto url = http::parse_url(directory_url);
    if (!url.ok())
        return {};
    std::string host = url->host;
    std::transform(host.begin(), host.end(), host.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    for (const auto& ca : k_known_cas) {
        if (has_suffix(host, ca.host_suffix))
            return std::string(ca.identity);
    }
    return {};
}

CaaIdentities choose_caa_identities(const std::vector<std::string>& configured,
                                    const std::vector<std::string>& from_directory,
                                    std::string_view directory_url) {
    if (!configured.empty())
        return {configured, "acme.caa_identities"};
    if (!from_directory.empty())
        return {from_directory, "the directory's meta.caaIdentities"};
    if (auto known = known_caa_identity(directory_url); !known.empty())
        return {{std::move(known)}, "known for this CA's directory host"};
    return {};
}

} // namespace wildcert::core
