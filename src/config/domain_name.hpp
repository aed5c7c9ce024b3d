#pragma once
// Validation of the names a certificate asks for.

#include <wildcert/result.hpp>

#include <string>
#include <string_view>

namespace wildcert::config {

// Returns the name in lower case, or an ErrorKind::profile error saying why it cannot be in a
// certificate order. Rules: LDH labels of 1-63 characters not starting or ending with '-'
// (RFC 1035 §2.3.1, RFC 5890 for xn-- labels), at most 253 characters (RFC 1035 §3.1 without
// the root label), at least two labels, no trailing dot, and a wildcard only as the whole
// leftmost label followed by a valid name (RFC 8555 §7.1.3, CA/B Baseline Requirements).
// The message never repeats the name itself: the caller decides whether it may be shown.
// An IP address (or any name whose last label is all digits) is refused too: DNS-01 cannot
// validate it.
[[nodiscard]] Result<std::string> normalize_domain(std::string_view text);

// normalize_domain for a name a certificate asks for: also short enough that its challenge
// name, "_acme-challenge." + the name without "*.", fits 253 characters (so at most 237).
[[nodiscard]] Result<std::string> normalize_certificate_domain(std::string_view text);

} // namespace wildcert::config
