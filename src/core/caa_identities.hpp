#pragma once
// Which issuer domain names (RFC 8659 §4.2) a CA answers to in CAA records.

#include <string>
#include <string_view>
#include <vector>

namespace wildcert::core {

struct CaaIdentities {
    std::vector<std::string> names; // empty: unknown
    std::string source;             // where they came from, for the report
};

// The profile's [acme] caa_identities, else the directory's meta.caaIdentities (RFC 8555
// §7.1.1), else the identity of a well-known CA recognised by the directory's host.
[[nodiscard]] CaaIdentities choose_caa_identities(const std::vector<std::string>& configured,
                                                  const std::vector<std::string>& from_directory,
                                                  std::string_view directory_url);

// The CAA identity of a well-known CA from its ACME directory URL; "" when not known.
[[nodiscard]] std::string known_caa_identity(std::string_view directory_url);

} // namespace wildcert::core
