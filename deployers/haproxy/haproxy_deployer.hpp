#pragma once
// HAProxy through its runtime API: the certificate of a loaded `crt` path is replaced in
// memory in one transaction (set ssl cert, commit ssl cert; abort on any error), so no reload
// and no dropped connection; the same PEM is written to that path first, atomically, so a
// later reload or restart keeps it. Each target is one HAProxy instance (its admin socket).

#include "deployers/descriptor.hpp"

namespace wildcert::deployers::haproxy {

// Settings: socket, crt, write_crt, timeout.
extern const DeployerDescriptor k_descriptor;

// The payload HAProxy takes: the full chain, then the key, with no empty line (an empty line
// ends the payload) and a final newline. A secret: it holds the private key.
[[nodiscard]] std::string haproxy_pem(const DeployInput& input);

} // namespace wildcert::deployers::haproxy
