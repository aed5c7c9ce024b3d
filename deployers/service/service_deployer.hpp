#pragma once
// Reloads a service on the issuing host, so that it reads the new files under live/ (or an
// [[certificate.output]]): `systemctl reload <unit>`, or a command line of the user's run by
// /bin/sh. For nginx, Apache, Postfix, ... that read their certificate at reload. Pair it with
// `verify` to prove the reload took.

#include "deployers/descriptor.hpp"

namespace wildcert::deployers::service {

// Settings: unit, reload, timeout.
extern const DeployerDescriptor k_descriptor;

} // namespace wildcert::deployers::service
