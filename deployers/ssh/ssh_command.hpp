#pragma once
// One run of the OpenSSH client against one target: the remote shell reads a script on stdin
// (`sh -s`), host keys checked strictly, no prompt ever (BatchMode). Its failures become
// messages that say what to do, e.g. the fingerprint of an unknown host key.

#include <wildcert/result.hpp>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace wildcert::deployers::ssh {

struct SshTarget {
    std::string host;
    int port = 22;
    std::string user;          // "" ssh's default
    std::string identity_file; // "" ssh's default keys and agent
    std::string known_hosts;   // "" the user's
    std::chrono::milliseconds connect_timeout{10'000};
    std::chrono::milliseconds timeout{60'000};
    std::string program = "ssh";
    // More `-o` options ("KexAlgorithms=curve25519-sha256"), after wildcert's own: ssh takes
    // the first value of an option, so they cannot undo BatchMode or strict host keys.
    std::vector<std::string> options;

    // "deploy@10.0.0.5:22", or "10.0.0.5:22" without a user.
    [[nodiscard]] std::string name() const;
};

// The ssh command line for `target` running `sh -s` remotely (argv[0] not included).
[[nodiscard]] std::vector<std::string> ssh_arguments(const SshTarget& target);

// Runs `script` on the target. Errors (ErrorKind::network for ssh's own failures, ErrorKind::io
// for the remote script's) name the target; the script, which may hold a key, never shows.
[[nodiscard]] Result<void> run_remote(const SshTarget& target, const std::string& script,
                                      const std::function<bool()>& cancelled);

// "SHA256:..." of an OpenSSH public key line ("ssh-ed25519 AAAA... [comment]", or a
// known_hosts / ssh-keyscan line with the host first); "" when it is not one.
[[nodiscard]] std::string key_fingerprint(const std::string& line);

} // namespace wildcert::deployers::ssh
