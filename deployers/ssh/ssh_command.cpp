#include "deployers/ssh/ssh_command.hpp"

#include "common/printable.hpp"
#include "crypto/base64.hpp"
#include "crypto/digest.hpp"
#include "process/child_process.hpp"
#include "process/program_path.hpp"
#include "process/secret_redaction.hpp"

#include <sstream>

namespace wildcert::deployers::ssh {
namespace {

long long whole_seconds(std::chrono::milliseconds duration) {
    return std::max<long long>(1, (duration.count() + 999) / 1000);
}

std::string last_lines(const std::string& text, std::size_t count) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (!line.empty() && line.rfind("Warning: Permanently added", 0) != 0)
            lines.push_back(line);
    }
    std::string out;
    for (std::size_t i = lines.size() > count ? lines.size() - count : 0; i < lines.size(); ++i)
        out += (out.empty() ? "" : "; ") + lines[i];
    return common::printable(out.empty() ? std::string("(no output)") : out, 600);
}

std::optional<std::filesystem::path> find_program(const std::string& name) {
    if (name.find('/') != std::string::npos)
        return std::filesystem::path(name);
    return process::find_in_path(name, process::current_search_path());
}

// The fingerprints the host offers, from ssh-keyscan: only to tell the operator what to
// check and add. Nothing is trusted or written.
std::string offered_fingerprints(const SshTarget& target) {
    const auto keyscan = find_program("ssh-keyscan");
    if (!keyscan)
        return "";
    const std::vector<std::string> arguments{"-T", "5", "-p", std::to_string(target.port),
                                             target.host};
    process::ChildLimits limits;
    limits.timeout = std::chrono::seconds(8);
    limits.kill_grace = std::chrono::seconds(1);
    const auto environment = process::inherited_environment();
    auto outcome = process::run_child(*keyscan, arguments, environment, limits);
    if (!outcome.ok())
        return "";
    std::string fingerprints;
    std::istringstream in(outcome->stdout_tail);
    for (std::string line; std::getline(in, line);) {
        if (line.empty() || line.front() == '#')
            continue;
        const auto fingerprint = key_fingerprint(line);
        if (fingerprint.empty())
            continue;
        std::istringstream words(line);
        std::string host, type;
        words >> host >> type;
        fingerprints += (fingerprints.empty() ? "" : ", ") + type + " " + fingerprint;
    }
    return fingerprints;
}

std::string known_hosts_shown(const SshTarget& target) {
    return target.known_hosts.empty() ? std::string("~/.ssh/known_hosts") : target.known_hosts;
}

std::string explain_ssh_failure(const SshTarget& target, const std::string& stderr_text) {
    const std::string where = "ssh " + target.name();
    if (stderr_text.find("REMOTE HOST IDENTIFICATION HAS CHANGED") != std::string::npos)
        return where + ": the host key CHANGED from the one in " + known_hosts_shown(target) +
               " (someone may be intercepting, or the host was reinstalled); nothing written";
    if (stderr_text.find("Host key verification failed") != std::string::npos) {
        const auto offered = offered_fingerprints(target);
        const std::string host = target.port == 22
                                     ? target.host
                                     : "[" + target.host + "]:" + std::to_string(target.port);
        return where + ": host key not in " + known_hosts_shown(target) +
               " (never accepted on first contact); nothing written. The host offers " +
               (offered.empty() ? std::string("(ssh-keyscan got no key)") : offered) +
               ": once checked, add it with ssh-keyscan -p " + std::to_string(target.port) + " " +
               target.host + " >> " + known_hosts_shown(target) + " (entry " + host + ")";
    }
    return where + ": " + last_lines(stderr_text, 2);
}

} // namespace

std::string SshTarget::name() const {
    return (user.empty() ? std::string() : user + "@") + host + ":" + std::to_string(port);
}

std::vector<std::string> ssh_arguments(const SshTarget& target) {
    std::vector<std::string> arguments{
        "-T",
        "-o",
        "BatchMode=yes",
        "-o",
        "StrictHostKeyChecking=yes",
        "-o",
        "ConnectTimeout=" + std::to_string(whole_seconds(target.connect_timeout)),
        "-o",
        "ServerAliveInterval=5",
        "-o",
        "ServerAliveCountMax=3",
        "-p",
        std::to_string(target.port),
    };
    if (!target.user.empty()) {
        arguments.push_back("-l");
        arguments.push_back(target.user);
    }
    if (!target.identity_file.empty()) {
        arguments.push_back("-i");
        arguments.push_back(target.identity_file);
        arguments.push_back("-o");
        arguments.push_back("IdentitiesOnly=yes");
    }
    if (!target.known_hosts.empty()) {
        arguments.push_back("-o");
        arguments.push_back("UserKnownHostsFile=" + target.known_hosts);
        arguments.push_back("-o");
        arguments.push_back("GlobalKnownHostsFile=/dev/null");
    }
    for (const auto& option : target.options) {
        arguments.push_back("-o");
        arguments.push_back(option);
    }
    arguments.push_back("--");
    arguments.push_back(target.host);
    arguments.push_back("sh -s");
    return arguments;
}

Result<void> run_remote(const SshTarget& target, const std::string& script,
                        const std::function<bool()>& cancelled) {
    const auto program = find_program(target.program);
    if (!program)
        return make_error(ErrorKind::io, "ssh " + target.name() + ": cannot start: " +
                                             common::printable(target.program) +
                                             " not found in PATH");
    process::ChildLimits limits;
    limits.timeout = target.timeout;
    limits.kill_grace = std::chrono::seconds(2);
    limits.output_bytes = 8192;
    limits.cancelled = cancelled;
    const auto environment = process::inherited_environment();
    auto outcome = process::run_child(*program, ssh_arguments(target), environment, limits, script);
    if (!outcome.ok())
        return make_error(ErrorKind::io, "ssh " + target.name() + ": " + outcome.error().message);
    const auto stderr_text = process::redact_secrets(outcome->stderr_tail, environment);
    using End = process::ChildOutcome::End;
    switch (outcome->end) {
    case End::cancelled:
        return make_error(ErrorKind::interrupted, "ssh " + target.name() + ": interrupted");
    case End::timed_out:
        return make_error(ErrorKind::timeout, "ssh " + target.name() + ": timed out after " +
                                                  std::to_string(whole_seconds(target.timeout)) +
                                                  "s");
    case End::signaled:
        return make_error(ErrorKind::network, "ssh " + target.name() + ": ssh died of signal " +
                                                  std::to_string(outcome->code));
    case End::exited:
        break;
    }
    if (outcome->code == 0)
        return {};
    if (outcome->code == 255)
        return make_error(ErrorKind::network, explain_ssh_failure(target, stderr_text));
    const bool written = stderr_text.find("wildcert: files in place") != std::string::npos;
    return make_error(ErrorKind::io, "ssh " + target.name() + ": " +
                                         (written ? "files in place, but the reload failed"
                                                  : "writing the files failed, nothing replaced") +
                                         " (exit " + std::to_string(outcome->code) +
                                         "): " + last_lines(stderr_text, 3));
}

std::string key_fingerprint(const std::string& line) {
    std::istringstream words(line);
    std::vector<std::string> fields;
    for (std::string word; words >> word;)
        fields.push_back(word);
    // "type blob" or "host type blob": the blob is the first field after a key type.
    for (std::size_t i = 0; i + 1 < fields.size(); ++i) {
        const auto& type = fields[i];
        if (type.rfind("ssh-", 0) != 0 && type.rfind("ecdsa-", 0) != 0 && type.rfind("sk-", 0) != 0)
            continue;
        auto blob = crypto::base64url_decode(fields[i + 1]);
        if (!blob.ok() || blob->empty())
            return "";
        const auto digest = crypto::sha256(
            std::string_view(reinterpret_cast<const char*>(blob->data()), blob->size()));
        auto text = crypto::base64_encode(digest);
        while (!text.empty() && text.back() == '=')
            text.pop_back();
        return "SHA256:" + text;
    }
    return "";
}

} // namespace wildcert::deployers::ssh
