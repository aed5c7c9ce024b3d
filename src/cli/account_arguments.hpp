#pragma once
// The command-line rules of `account` and `revoke`, kept apart from the general parser.

#include "cli/arguments.hpp"

namespace wildcert::cli {

// The options of account and revoke belong to them alone, each action takes only its own,
// deactivate needs --yes, revoke exactly one --cert, and names (key type, reason) must be
// known. Errors are ErrorKind::usage.
[[nodiscard]] Result<void> check_account_and_revoke(const Arguments& parsed);

} // namespace wildcert::cli
