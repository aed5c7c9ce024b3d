#pragma once
// Pushes the certificate to hosts over SSH with the system's OpenSSH client, so ~/.ssh/config,
// agents, ProxyJump and known_hosts work as they do for the user. Host keys are checked
// strictly (never accepted on first contact: the error gives the fingerprint to add). Each
// target is one host; the files are written atomically there (remote_script.hpp), then the
// reload command runs.

#include "deployers/descriptor.hpp"

namespace wildcert::deployers::ssh {

// Settings: host, port, user, identity_file, known_hosts, key_path, cert_path, chain_path,
// fullchain_path, combined_path, owner, group, mode, key_mode, reload, connect_timeout,
// timeout, ssh.
extern const DeployerDescriptor k_descriptor;

} // namespace wildcert::deployers::ssh
