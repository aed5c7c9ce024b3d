#pragma once

#include <wildcert/result.hpp>

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace wildcert::cli {

enum class Command {
    help,
    version,
    issue,
    renew,
    list,
    check,
    providers,
    deployers,
    probe,   // `probe -c PROFILE`: what the verify endpoints serve
    metrics, // `metrics`: Prometheus text format from the state directory
    account,
    revoke,
    schedule,
    cleanup,
    delete_certificate, // `delete` (a C++ keyword)
    list_names,         // hidden: certificate names for the shell completions
    completion,         // `completion SHELL`: prints the shell's completion script
    config,             // `config -c PROFILE`: the profile as understood, secrets redacted
};

struct Arguments {
    Command command = Command::help;
    std::optional<std::string> help_topic;       // `help COMMAND`, `COMMAND --help`
    bool help = false;                           // -h, --help (parsing only: becomes Command::help)
    bool version = false;                        // -V, --version (becomes Command::version)
    std::filesystem::path profile;               // -c, --config (the first one)
    std::vector<std::filesystem::path> profiles; // every -c (renew and list take several)
    std::optional<std::filesystem::path> state_dir;        // --state-dir
    std::vector<std::string> certificates;                 // --cert (repeatable); empty: all
    int verbosity = 0;                                     // -v, repeatable; -q: -1
    std::optional<std::string> provider_name;              // `providers NAME`
    std::optional<std::string> deployer_name;              // `deployers NAME`
    std::optional<std::filesystem::path> metrics_textfile; // `metrics --textfile FILE`
    std::string completion_shell;                          // `completion SHELL`
    // account and revoke (account_command.hpp, revoke_command.hpp)
    std::string account_action;          // show | update-contact | rollover | deactivate
    std::vector<std::string> contact;    // --contact (repeatable)
    std::optional<std::string> key_type; // --key-type
    bool yes = false;                    // --yes (account deactivate, delete)
    bool json = false;                   // --json
    std::optional<std::string> reason;   // --reason
    bool with_cert_key = false;          // --with-cert-key
    // renew (and issue): renew_command.hpp
    bool json_stream = false;                           // --json=stream
    bool force = false;                                 // --force
    bool dry_run = false;                               // --dry-run
    bool dry_run_against_production = false;            // --dry-run-against-production
    bool run_hooks = false;                             // --run-hooks
    bool deploy_only = false;                           // --deploy-only
    std::optional<std::chrono::milliseconds> wait_lock; // --wait-lock[=DURATION]
    std::size_t concurrency = 8;                        // --concurrency N
    // schedule (schedule_command.hpp)
    bool install = false;                          // --install
    std::optional<std::filesystem::path> unit_dir; // --unit-dir
    std::optional<std::filesystem::path> env_file; // --env-file
    std::optional<std::filesystem::path> log_file; // --log-file
};

// Parses argv (without argv[0]) by the command tables (command_table.hpp): `--opt value`,
// `--opt=value`, `-xVALUE`, `-x VALUE` and clusters such as `-vv`; options may come before
// or after the command. Errors are ErrorKind::usage, with a "did you mean" hint for a
// misspelt command or option.
[[nodiscard]] Result<Arguments> parse_arguments(const std::vector<std::string>& args);

// The state directory a command uses: --state-dir, else $WILDCERT_STATE_DIR, else
// /var/lib/wildcert for root, else $XDG_STATE_HOME/wildcert, else ~/.local/state/wildcert.
// A non-root user without an absolute HOME (a service manager's bare environment) gets a usage
// error: the current folder is no place for account keys, and the next run, started from
// elsewhere, would not find them.
[[nodiscard]] Result<std::filesystem::path> state_dir_for(const Arguments& arguments);

} // namespace wildcert::cli
