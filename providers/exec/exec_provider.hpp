#pragma once
// The exec provider: a program of the user's publishes the records, for any DNS host that has
// no provider of its own.
//
// The interface (stable; the examples in examples/hooks/ follow it):
//   <command> add    <fqdn> <value>
//   <command> remove <fqdn> <value>
// run once per record, one at a time, with no shell in between: `command` is the path of an
// executable (a script needs its #! line), given no other arguments. Its environment is
// wildcert's own plus
//   WILDCERT_ACTION  add | remove
//   WILDCERT_FQDN    the record's absolute name with its trailing dot, after CNAME following
//                    ("_acme-challenge.example.com.")
//   WILDCERT_VALUE   the TXT value (43 characters of base64url; not a secret)
//   WILDCERT_ZONE    the zone the core found for the name ("example.com.")
//   WILDCERT_TTL     the TTL in seconds
// stdin is /dev/null. Exit status 0 means done; anything else fails the run with the status and
// the last lines of stderr (values of secret-looking environment variables cut out).
//
// What the program must do:
//   - add: put the value into the TXT set at the name, next to any other values (a wildcard
//     and its apex share one name and both values must be served at once). Adding a value
//     that is already there is success.
//   - remove: take exactly that value out and leave the others. Removing a value that is not
//     there (already removed, or never added because the run failed) must exit 0: removal runs
//     on every failure path and again after a crash.
// It runs in a process group of its own; after `timeout` seconds the group gets SIGTERM, and
// SIGKILL 5 seconds later.

#include "providers/descriptor.hpp"

namespace wildcert::providers::exec {

// Settings: command, timeout.
extern const ProviderDescriptor k_descriptor;

} // namespace wildcert::providers::exec
