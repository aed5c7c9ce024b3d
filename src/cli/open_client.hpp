#pragma once
// What every command that talks to the CA does first, the same way for each.

#include "cli/arguments.hpp"

#include <wildcert/client.hpp>
#include <wildcert/profile.hpp>
#include <wildcert/result.hpp>

#include <functional>
#include <string>
#include <vector>

namespace wildcert::cli {

// The [[certificate]] tables named by --cert, in the order given (none named: all of them).
// A name the profile does not have is an ErrorKind::usage error naming it and the profile.
[[nodiscard]] Result<std::vector<CertificateSettings>>
selected_certificates(const Profile& profile, const std::vector<std::string>& names);

// A client on --state-dir (else the default state directory) that logs progress on stderr at
// the -v level given; `cancelled` (may be empty) is polled while it waits.
[[nodiscard]] Result<Client> open_client(Profile profile, const Arguments& arguments,
                                         std::function<bool()> cancelled = {});

} // namespace wildcert::cli
