#pragma once
// The one rule for "this host is this machine", shared by the profile loader (acme.directory)
// and the HTTP client (every URL, including those the CA hands out): plain http:// is allowed
// only there, because RFC 8555 §6.1 requires HTTPS and only a local test CA may skip it.

#include <string_view>

namespace wildcert::common {

// True for "localhost" (any case, optional trailing dot), a dotted-quad address in 127.0.0.0/8
// and the IPv6 loopback ::1 in any spelling. `host` comes without brackets and port.
// Everything else is false: names that merely start with "127." (127.example.com), shortened
// or octal IPv4 forms the resolver would reinterpret (127.1, 0177.0.0.1), 0.0.0.0, IPv4-mapped
// IPv6 (::ffff:127.0.0.1) and zone ids (::1%lo).
[[nodiscard]] bool is_loopback_host(std::string_view host);

// The host of an http:// or https:// URL, without brackets and port; empty when the text is
// not such a URL or carries credentials (user@host). Enough to apply is_loopback_host to a
// profile value; the HTTP client parses URLs fully (http/url.hpp).
[[nodiscard]] std::string_view url_host(std::string_view url);

} // namespace wildcert::common
