#pragma once
// Whether a stored certificate is due for renewal, and why (docs/dev/architecture.md §6, renew).

#include <chrono>
#include <optional>
#include <string>

namespace wildcert {

struct RenewalDecision {
    bool due = false;
    std::chrono::system_clock::time_point renew_at; // when it becomes (or became) due
    std::string reason;                             // one line for the log
    bool from_ari = false;       // decided by the CA's ARI window (RFC 9773), not the lifetime
    std::string explanation_url; // ARI explanationURL, to show the operator (RFC 9773 §4.2)
    // ARI: when to ask the CA again (Retry-After clamped to [1 min, 1 day], §4.3).
    std::optional<std::chrono::seconds> check_again_in;
};

} // namespace wildcert

#include <wildcert/result.hpp>

#include <cstddef>
#include <filesystem>
#include <functional>
#include <utility>
#include <vector>

namespace wildcert {

struct RenewOptions {
    bool force = false; // renew every selected certificate, due or not
    // Why a forced certificate is due, in the log and the reports ("": "forced (--force)");
    // a dry run says so itself.
    std::string force_reason;
    // Issue from the staging directory that Client::dry_run_directory names into a scratch
    // folder that is deleted afterwards: live/, outputs and status are not touched, hooks run
    // only with run_hooks. Every selected certificate counts as due. A directory that is not
    // known to be a staging or test CA fails every certificate (ErrorKind::usage, nothing
    // sent) unless dry_run_against_production.
    bool dry_run = false;
    bool dry_run_against_production = false;
    bool run_hooks = false; // dry run only: run the deploy hooks on the scratch files
    // Order nothing: deploy the current version of each selected certificate again, to every
    // output, command and target (those done before included). One without a certificate
    // fails. Not with force or dry_run.
    bool deploy_only = false;
    std::size_t concurrency = 8; // orders handled at once
    // A certificate another run holds: skipped (nullopt) or waited for up to this long.
    std::optional<std::chrono::milliseconds> wait_lock;
    // The command the run serves, as its log lines begin ("issue: api: ..."): `issue` and
    // `renew` share this run, and the log should say which one the user typed.
    std::string command = "renew";
};

enum class RenewalStatus {
    issued,  // there was no certificate before
    renewed, // a new version replaced the previous one
    not_due, // left alone
    failed,  // could not be issued (the previous version, if any, is untouched)
    locked,  // another run holds it and we did not wait (or waited in vain)
};

[[nodiscard]] const char* to_string(RenewalStatus status);

struct HookReport {
    std::string command;
    bool ok = false;
    std::string failure;     // "" when ok
    std::string output_tail; // what it printed (the end)
    std::chrono::milliseconds elapsed{0};
};

// One target of a deploy entry other than a command (an HAProxy instance, an SSH host, ...).
struct TargetReport {
    std::size_t entry = 0; // index of its [[certificate.deploy]] entry
    std::string type{};    // the entry's deployer: "haproxy", "ssh", ...
    std::string target{};  // what it names: a socket, "user@host:port", a unit
    // Done by an earlier run for this version, so not touched again.
    bool already_deployed = false;
    bool ok = false;
    std::string failure{}; // "" when ok
    std::chrono::milliseconds elapsed{0};
    // After verification: per endpoint, the SHA-256 (hex) of the leaf it serves.
    std::vector<std::pair<std::string, std::string>> served{};
};

// Outputs written and hooks run after a change (or to finish an earlier run's failed deploy).
struct DeployReport {
    bool ran = false;    // false: nothing changed and nothing was pending
    bool ok = true;      // every output written and every hook and target succeeded
    std::string failure; // "" when ok
    std::vector<std::filesystem::path> outputs;
    std::vector<HookReport> hooks;
    std::vector<TargetReport> targets;
};

struct CertificateReport {
    std::string name;
    std::vector<std::string> domains;
    RenewalStatus status = RenewalStatus::not_due;
    std::string reason;             // why it was (not) due, or why it failed
    std::optional<Error> error;     // set when failed
    std::filesystem::path live_dir; // a dry run leaves it as it was, and names no test path
    std::string serial_hex;         // of the current certificate ("" when none)
    std::string issuer;             // issuer common name of the current certificate
    std::optional<std::chrono::system_clock::time_point> not_after;
    std::optional<std::chrono::system_clock::time_point> renew_at; // next renewal, when known
    DeployReport deploy;
    // Issued or renewed: the names whose authorization the CA had already validated, so that
    // no TXT record was published for them (their DNS was not exercised).
    std::vector<std::string> reused_authorizations;
};

// Called once per certificate as soon as its outcome is known (NDJSON streaming).
using RenewalListener = std::function<void(const CertificateReport&)>;

} // namespace wildcert
