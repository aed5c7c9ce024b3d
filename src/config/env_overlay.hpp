#pragma once
// Profile values from WILDCERT_* environment variables, for CI pipelines that keep the
// profile in the repository and the secrets and per-run values in the environment.
//
// A variable is WILDCERT_ plus the key path upper-cased, '.' and '-' written '_':
// WILDCERT_ACME_DIRECTORY, WILDCERT_ACME_EAB_HMAC_KEY, WILDCERT_DNS_TTL,
// WILDCERT_DNS_RFC2136_TSIG_SECRET (a key of the chosen provider's table), and
// WILDCERT_CERTIFICATE_<NAME>_<KEY> for the [[certificate]] whose name is NAME. The
// environment wins over the file. The variables are applied to the parsed document before the
// section readers run, so every value is checked exactly as if it were written in the file;
// only its errors name the variable instead of a line (k_environment_line).

#include "config/document.hpp"
#include "config/interpolate.hpp"

#include <wildcert/result.hpp>

#include <functional>
#include <span>
#include <string>
#include <vector>

namespace wildcert::config {

// The names of every variable in an environment (tests pass their own).
using EnvNames = std::function<std::vector<std::string>()>;

[[nodiscard]] std::vector<std::string> process_environment_names();

struct EnvVariable {
    std::string name;
    std::string value; // may be a secret: never part of a message
};

// The WILDCERT_ACME_*, WILDCERT_DNS_* and WILDCERT_CERTIFICATE_* variables of an environment,
// sorted by name. An empty one counts as unset, as CI systems set unset secrets to "". Other
// WILDCERT_* variables (WILDCERT_STATE_DIR, the providers' own, the deploy hooks') are not
// profile keys and are left alone.
[[nodiscard]] std::vector<EnvVariable> profile_variables(const EnvLookup& lookup,
                                                         const EnvNames& names);

// Sets the key of each variable in `document`, converted to the type the key takes; a key and
// its <key>_file twin count as one setting, so a variable replaces whichever the file has.
// Nodes made for variables[i]'s value carry line k_environment_line + j, where applied[j] is
// its name on return. `lookup` expands ${VAR} in the file's dns.provider and certificate
// names, which the variable names address. Errors are ErrorKind::profile and start with
// "environment <NAME>: ": a variable that matches no key (a typo), a value that does not
// convert, a name that addresses two certificates. They never contain a value.
[[nodiscard]] Result<void> apply_environment(Node& document, std::span<const EnvVariable> variables,
                                             const EnvLookup& lookup,
                                             std::vector<std::string>& applied);

} // namespace wildcert::config
