#pragma once
// The names an order and its authorizations are for, checked against the profile's before any
// DNS record is written. The CA decides which _acme-challenge names wildcert publishes at: a
// CA (or a man in the middle with a trusted certificate) answering with an authorization for
// another name, thousands of them, or a name the profile loader would refuse, would otherwise
// have wildcert write records for them in the user's zones.

#include "acme/order.hpp"

#include <wildcert/result.hpp>

#include <span>
#include <string>
#include <vector>

namespace wildcert::core {

// The order's identifiers are the profile's `names` exactly (as a set, each once), and it
// lists no more authorizations than there are names. Checked before any authorization is
// fetched. ErrorKind::acme errors name the unexpected identifier, escaped.
[[nodiscard]] Result<void> check_order_names(const acme::Order& order,
                                             std::span<const std::string> names);

// Matches an authorization (RFC 8555 §7.1.4: identifier without "*.", wildcard flag) to one of
// `names` that no authorization in `claimed` took yet, and records it there. An identifier
// that is not one of the names, or one already claimed, is an ErrorKind::acme error.
[[nodiscard]] Result<void> claim_authorization(const acme::Authorization& authorization,
                                               std::span<const std::string> names,
                                               std::vector<std::string>& claimed);

} // namespace wildcert::core
