#pragma once
// The JSON documents an ACME server sends (RFC 8555 §7.1.1-§7.1.4), read from the body alone.
// Pure functions of untrusted text: the client calls them on every response, and the fuzz
// targets in tests/fuzz call the very same ones. An error message has no context; the caller
// adds the URL it fetched.

#include "acme/account.hpp"
#include "acme/acme_client.hpp"
#include "acme/order.hpp"

#include <wildcert/result.hpp>

#include <string>
#include <string_view>

namespace wildcert::acme {

// RFC 8555 §7.1.1. Fails when the body is no JSON object or lacks newNonce, newAccount or
// newOrder; `url` is where it was fetched.
[[nodiscard]] Result<Directory> parse_directory(std::string_view body, std::string url);

// RFC 8555 §7.1.2. Fails without a status.
[[nodiscard]] Result<AccountObject> parse_account(std::string_view body);

// RFC 8555 §7.1.3. Fails without a status; `url` is the order's (Location or the polled URL).
// Retry-After is a header, so retry_after stays empty here.
[[nodiscard]] Result<Order> parse_order(std::string_view body, std::string url);

// RFC 8555 §7.1.4. Fails without a status or an identifier; retry_after stays empty.
[[nodiscard]] Result<Authorization> parse_authorization(std::string_view body, std::string url);

} // namespace wildcert::acme
