#pragma once
// Web Linking (RFC 8288): the Link header, which ACME uses for alternate chains (RFC 8555
// §7.4.2), terms of service (§7.3.3) and the directory index.

#include "http/http_client.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace wildcert::http {

struct Link {
    std::string target;           // the URI between < and >, resolved against the base
    std::vector<std::string> rel; // relation types, lower case (rel="a b" is two)
};

// Every link of every Link header line, in order: several header lines and several
// comma-separated links per line, rel quoted or not, other parameters ignored. Relative
// targets are resolved against `base_url` (origin-relative "/x" only; others are kept).
// Malformed pieces are skipped, never fatal: the header is server input.
[[nodiscard]] std::vector<Link> parse_link_headers(const std::vector<std::string>& values,
                                                   std::string_view base_url = {});

// The targets of the response's links whose rel includes `rel` (lower case).
[[nodiscard]] std::vector<std::string> link_targets(const Response& response, std::string_view rel,
                                                    std::string_view base_url = {});

} // namespace wildcert::http
