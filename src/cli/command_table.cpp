#include "cli/command_table.hpp"

#include "cli/account_command.hpp"
#include "cli/check_command.hpp"
#include "cli/cleanup_command.hpp"
#include "cli/completion_command.hpp"
#include "cli/completion_script.hpp"
#include "cli/config_command.hpp"
#include "cli/delete_command.hpp"
#include "cli/deployers_command.hpp"
#include "cli/help_text.hpp"
#include "cli/list_command.hpp"
#include "cli/list_names_command.hpp"
#include "cli/metrics_command.hpp"
#include "cli/probe_command.hpp"
#include "cli/providers_command.hpp"
#include "cli/renew_command.hpp"
#include "cli/revoke_command.hpp"
#include "cli/schedule_command.hpp"
#include "config/duration.hpp"
#include "deployers/descriptor.hpp"
#include "providers/descriptor.hpp"

#include <wildcert/key_type.hpp>
#include <wildcert/revocation.hpp>

#include <algorithm>
#include <array>
#include <charconv>

namespace wildcert::cli {
namespace {

using namespace std::string_view_literals;

Result<void> usage(const std::string& message) {
    return make_error(ErrorKind::usage, message + " (see wildcert --help)");
}

// "Wait as long as it takes" for --wait-lock without a duration: a year is forever here.
constexpr std::chrono::milliseconds k_wait_lock_forever = std::chrono::hours(24 * 365);

std::optional<std::size_t> parse_count(std::string_view text) {
    std::size_t number = 0;
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, number);
    if (text.empty() || ec != std::errc() || ptr != end || number < 1 || number > 64)
        return std::nullopt;
    return number;
}

std::vector<std::string> key_type_names() {
    std::vector<std::string> names;
    for (const KeyType type : {KeyType::ec_p256, KeyType::ec_p384, KeyType::rsa_2048,
                               KeyType::rsa_3072, KeyType::rsa_4096})
        names.emplace_back(to_string(type));
    return names;
}

std::vector<std::string> reason_names() {
    std::vector<std::string> names;
    for (const auto name : revocation_reason_names())
        names.emplace_back(name);
    return names;
}

std::vector<std::string> provider_names() {
    std::vector<std::string> names;
    for (const auto* provider : providers::all_providers())
        names.emplace_back(provider->name);
    return names;
}

std::vector<std::string> deployer_names() {
    std::vector<std::string> names;
    for (const auto* deployer : deployers::all_deployers())
        names.emplace_back(deployer->name);
    return names;
}

std::vector<std::string> account_actions() {
    return {"show", "update-contact", "rollover", "deactivate"};
}

std::vector<std::string> json_modes() {
    return {"stream"};
}

// --- options: each once, shared by the commands that list it -------------------------------

constexpr std::array k_options{
    OptionSpec{"config", 'c', "PROFILE", ValueMode::required, true,
               "the TOML profile; renew, list and schedule take several, and a folder means "
               "each *.toml in it",
               [](Arguments& a, std::string_view value) -> Result<void> {
                   if (a.profiles.empty())
                       a.profile = std::string(value);
                   a.profiles.emplace_back(std::string(value));
                   return {};
               },
               ValueKind::file},
    OptionSpec{"state-dir", 0, "DIR", ValueMode::required, false,
               "the state directory (default: $WILDCERT_STATE_DIR, else /var/lib/wildcert as "
               "root, else $XDG_STATE_HOME/wildcert)",
               [](Arguments& a, std::string_view value) -> Result<void> {
                   a.state_dir = std::string(value);
                   return {};
               },
               ValueKind::directory},
    OptionSpec{"textfile", 0, "FILE", ValueMode::required, false,
               "write the metrics to FILE atomically (for node_exporter's textfile collector: "
               "a .prom file in its --collector.textfile.directory) instead of stdout",
               [](Arguments& a, std::string_view value) -> Result<void> {
                   a.metrics_textfile = std::string(value);
                   return {};
               },
               ValueKind::file},
    OptionSpec{"cert", 0, "NAME", ValueMode::required, true,
               "only this certificate (repeatable); delete and revoke: the one to act on",
               [](Arguments& a, std::string_view value) -> Result<void> {
                   a.certificates.emplace_back(value);
                   return {};
               },
               ValueKind::certificate},
    OptionSpec{"json", 0, "stream", ValueMode::optional, false,
               "one JSON document on stdout; issue and renew also take --json=stream: one JSON "
               "line per certificate as it finishes, then a summary line",
               [](Arguments& a, std::string_view value) -> Result<void> {
                   if (!value.empty() && value != "stream")
                       return usage("--json=" + std::string(value) +
                                    ": expected --json or --json=stream");
                   a.json = true;
                   a.json_stream = !value.empty();
                   return {};
               },
               ValueKind::choice, json_modes},
    OptionSpec{"force", 0, "", ValueMode::none, false,
               "renew every selected certificate, due or not",
               [](Arguments& a, std::string_view) -> Result<void> {
                   a.force = true;
                   return {};
               }},
    OptionSpec{"dry-run", 0, "", ValueMode::none, false,
               "the whole flow against the staging directory (acme.staging_directory, else the "
               "known CA's staging twin, else acme.directory, which must then be a staging or "
               "test CA); live/, outputs and state are left alone, and every selected "
               "certificate counts as due",
               [](Arguments& a, std::string_view) -> Result<void> {
                   a.dry_run = true;
                   return {};
               }},
    OptionSpec{"dry-run-against-production", 0, "", ValueMode::none, false,
               "with --dry-run: allow a directory that is not known to be a staging or test CA "
               "(Let's Encrypt staging, loopback, a .test or .localhost host) and not set as "
               "acme.staging_directory; it orders real certificates there",
               [](Arguments& a, std::string_view) -> Result<void> {
                   a.dry_run_against_production = true;
                   return {};
               }},
    OptionSpec{"run-hooks", 0, "", ValueMode::none, false,
               "with --dry-run: run the deploy hooks on the test files",
               [](Arguments& a, std::string_view) -> Result<void> {
                   a.run_hooks = true;
                   return {};
               }},
    OptionSpec{"deploy-only", 0, "", ValueMode::none, false,
               "order nothing: deploy the current certificate again (outputs, commands, every "
               "target, those done before included)",
               [](Arguments& a, std::string_view) -> Result<void> {
                   a.deploy_only = true;
                   return {};
               }},
    OptionSpec{"wait-lock", 0, "DUR", ValueMode::optional, false,
               "wait (forever, or up to DUR such as 10m) for certificates another run is "
               "working on, instead of skipping them",
               [](Arguments& a, std::string_view value) -> Result<void> {
                   if (value.empty()) {
                       a.wait_lock = k_wait_lock_forever;
                       return {};
                   }
                   const auto duration = config::parse_duration(value);
                   if (!duration)
                       return usage("--wait-lock=" + std::string(value) +
                                    ": expected a duration such as 30s, 10m or 1h");
                   a.wait_lock = *duration;
                   return {};
               },
               ValueKind::word},
    OptionSpec{"concurrency", 0, "N", ValueMode::required, false,
               "orders handled at once, 1 to 64 (default 8)",
               [](Arguments& a, std::string_view value) -> Result<void> {
                   const auto number = parse_count(value);
                   if (!number)
                       return usage("--concurrency " + std::string(value) +
                                    ": expected a number from 1 to 64");
                   a.concurrency = *number;
                   return {};
               },
               ValueKind::word},
    OptionSpec{"contact", 0, "URL", ValueMode::required, true,
               "update-contact: a mailto: URL to set (repeatable; default: acme.contact)",
               [](Arguments& a, std::string_view value) -> Result<void> {
                   a.contact.emplace_back(value);
                   return {};
               },
               ValueKind::word},
    OptionSpec{"key-type", 0, "TYPE", ValueMode::required, false,
               "rollover: the new key's type (default: acme.account_key)",
               [](Arguments& a, std::string_view value) -> Result<void> {
                   a.key_type = std::string(value);
                   return {};
               },
               ValueKind::choice, key_type_names},
    OptionSpec{"yes", 0, "", ValueMode::none, false,
               "confirm without asking: account deactivate (cannot be undone), delete",
               [](Arguments& a, std::string_view) -> Result<void> {
                   a.yes = true;
                   return {};
               }},
    OptionSpec{"reason", 0, "R", ValueMode::required, false,
               "the RFC 5280 revocation reason, spelt exactly (default: none sent)",
               [](Arguments& a, std::string_view value) -> Result<void> {
                   a.reason = std::string(value);
                   return {};
               },
               ValueKind::choice, reason_names},
    OptionSpec{"with-cert-key", 0, "", ValueMode::none, false,
               "sign the request with the certificate's own key instead of the account key",
               [](Arguments& a, std::string_view) -> Result<void> {
                   a.with_cert_key = true;
                   return {};
               }},
    OptionSpec{"install", 0, "", ValueMode::none, false,
               "write the service and timer units instead of printing them",
               [](Arguments& a, std::string_view) -> Result<void> {
                   a.install = true;
                   return {};
               }},
    OptionSpec{"unit-dir", 0, "DIR", ValueMode::required, false,
               "with --install: where the units go (default /etc/systemd/system)",
               [](Arguments& a, std::string_view value) -> Result<void> {
                   a.unit_dir = std::string(value);
                   return {};
               },
               ValueKind::directory},
    OptionSpec{"env-file", 0, "FILE", ValueMode::required, false,
               "the environment file of the service, for the profiles' ${VAR}s (default "
               "/etc/wildcert/<unit>.env; --install creates it, 0600)",
               [](Arguments& a, std::string_view value) -> Result<void> {
                   a.env_file = std::string(value);
                   return {};
               },
               ValueKind::file},
    OptionSpec{"log-file", 0, "FILE", ValueMode::required, false,
               "where the scheduled runs' output goes (default under /var/log)",
               [](Arguments& a, std::string_view value) -> Result<void> {
                   a.log_file = std::string(value);
                   return {};
               },
               ValueKind::file},
    // Global options.
    OptionSpec{"verbose", 'v', "", ValueMode::none, true,
               "more detail on stderr (repeatable: -vv); secrets are never shown",
               [](Arguments& a, std::string_view) -> Result<void> {
                   ++a.verbosity;
                   return {};
               }},
    OptionSpec{"quiet", 'q', "", ValueMode::none, false,
               "no progress lines; warnings, errors and results only",
               [](Arguments& a, std::string_view) -> Result<void> {
                   a.verbosity = -1;
                   return {};
               }},
    OptionSpec{"help", 'h', "", ValueMode::none, false, "show the help (of this command) and exit",
               [](Arguments& a, std::string_view) -> Result<void> {
                   a.help = true;
                   return {};
               }},
    OptionSpec{"version", 'V', "", ValueMode::none, false, "print the version and exit",
               [](Arguments& a, std::string_view) -> Result<void> {
                   a.version = true;
                   return {};
               }},
};

constexpr std::array k_global_options{"verbose"sv, "quiet"sv, "help"sv, "version"sv};

// --- commands ---------------------------------------------------------------------------

constexpr std::array k_issue_synopsis{
    "issue -c PROFILE [--state-dir DIR] [--cert NAME]... [--json[=stream]]"sv,
    "      [--dry-run [--run-hooks] [--dry-run-against-production]] [--wait-lock[=DUR]]"sv,
    "      [--concurrency N] [-v]..."sv};
constexpr std::array k_issue_options{"config"sv,    "state-dir"sv, "cert"sv,
                                     "json"sv,      "dry-run"sv,   "dry-run-against-production"sv,
                                     "run-hooks"sv, "wait-lock"sv, "concurrency"sv};
constexpr std::array k_issue_examples{
    Example{"issue -c /etc/wildcert/example.toml",
            "obtain every certificate of the profile into /var/lib/wildcert/live/ (as root)"},
    Example{"issue -c example.toml --cert www --dry-run",
            "try the whole flow for one certificate against the CA's staging directory"},
};

constexpr std::array k_renew_synopsis{
    "renew -c PROFILE|FOLDER [-c ...] [--state-dir DIR] [--cert NAME]... [--force|--deploy-only]"sv,
    "      [--json[=stream]] [--dry-run [--run-hooks] [--dry-run-against-production]]"sv,
    "      [--wait-lock[=DUR]] [--concurrency N]"sv};
constexpr std::array k_renew_options{"config"sv,
                                     "state-dir"sv,
                                     "cert"sv,
                                     "force"sv,
                                     "json"sv,
                                     "dry-run"sv,
                                     "dry-run-against-production"sv,
                                     "run-hooks"sv,
                                     "deploy-only"sv,
                                     "wait-lock"sv,
                                     "concurrency"sv};
constexpr std::array k_renew_examples{
    Example{"renew -c /etc/wildcert/", "renew what is due among the profiles of a folder"},
    Example{"renew -c lb.toml --cert web --deploy-only",
            "push the current certificate of web to every deploy target again"},
    Example{"renew -c example.toml --json=stream",
            "one JSON line per certificate as it finishes, then a summary line"},
};

constexpr std::array k_list_synopsis{
    "list [--state-dir DIR] [-c PROFILE|FOLDER]... [--cert NAME]... [--json]"sv};
constexpr std::array k_list_options{"config"sv, "state-dir"sv, "cert"sv, "json"sv};
constexpr std::array k_list_examples{
    Example{"list", "every certificate of the state directory, its profile and live path"},
    Example{"list -c /etc/wildcert/",
            "the same, plus what the folder's profiles want that is missing or due"},
};

constexpr std::array k_delete_synopsis{"delete --cert NAME [--state-dir DIR] [--yes] [--json]"sv};
constexpr std::array k_delete_options{"state-dir"sv, "cert"sv, "yes"sv, "json"sv};
constexpr std::array k_delete_examples{
    Example{"delete --cert old-www", "remove live/old-www and its archive, after asking"},
};

constexpr std::array k_check_synopsis{
    "check -c PROFILE [--state-dir DIR] [--cert NAME]... [--json]"sv};
constexpr std::array k_check_options{"config"sv, "state-dir"sv, "cert"sv, "json"sv};
constexpr std::array k_check_examples{
    Example{"check -c example.toml", "preflight before the first issue"},
};

constexpr std::array k_config_synopsis{"config -c PROFILE [--json]"sv};
constexpr std::array k_config_options{"config"sv, "json"sv};
constexpr std::array k_config_examples{
    Example{"config -c example.toml",
            "the profile with every default filled in, secrets shown as <redacted>"},
};

constexpr std::array k_providers_synopsis{"providers [NAME]"sv};
constexpr std::array<std::string_view, 0> k_no_options{};
constexpr std::array k_providers_examples{
    Example{"providers", "the DNS providers compiled in"},
    Example{"providers rfc2136", "the settings of [dns.rfc2136]"},
};

constexpr std::array k_metrics_synopsis{
    "metrics [--state-dir DIR] [--cert NAME]... [--textfile FILE]"sv};
constexpr std::array k_metrics_options{"state-dir"sv, "cert"sv, "textfile"sv};
constexpr std::array k_metrics_examples{
    Example{"metrics --textfile /var/lib/prometheus/node-exporter/wildcert.prom",
            "the certificates' expiry and deploy state for node_exporter's textfile collector"},
};

constexpr std::array k_probe_synopsis{
    "probe -c PROFILE [--state-dir DIR] [--cert NAME]... [--json]"sv};
constexpr std::array k_probe_options{"config"sv, "state-dir"sv, "cert"sv, "json"sv};
constexpr std::array k_probe_examples{
    Example{"probe -c /etc/wildcert/lb.toml",
            "what every verify endpoint serves, and whether it is the live certificate"},
};

constexpr std::array k_deployers_synopsis{"deployers [NAME]"sv};
constexpr std::array k_deployers_examples{
    Example{"deployers", "the deployers compiled in"},
    Example{"deployers haproxy", "the keys of a [[certificate.deploy]] type = \"haproxy\""},
};

constexpr std::array k_account_synopsis{
    "account show -c PROFILE [--state-dir DIR] [--json]"sv,
    "account update-contact -c PROFILE [--contact mailto:X]..."sv,
    "account rollover -c PROFILE [--key-type TYPE]"sv, "account deactivate -c PROFILE --yes"sv};
constexpr std::array k_account_options{"config"sv,  "state-dir"sv, "json"sv,
                                       "contact"sv, "key-type"sv,  "yes"sv};
constexpr std::array k_account_examples{
    Example{"account show -c example.toml", "the account the profile's issue created"},
    Example{"account rollover -c example.toml --key-type ec-p384",
            "replace the account key by a new P-384 key"},
};

constexpr std::array k_revoke_synopsis{
    "revoke -c PROFILE --cert NAME [--state-dir DIR] [--reason R] [--with-cert-key]"sv};
constexpr std::array k_revoke_options{"config"sv, "state-dir"sv, "cert"sv, "reason"sv,
                                      "with-cert-key"sv};
constexpr std::array k_revoke_examples{
    Example{"revoke -c example.toml --cert www --reason keyCompromise --with-cert-key",
            "revoke a certificate whose key leaked, signed with that key"},
};

constexpr std::array k_schedule_synopsis{
    "schedule -c PROFILE... [--state-dir DIR] [--cert NAME]... [--env-file FILE]"sv,
    "         [--log-file FILE] [--install [--unit-dir DIR]]"sv};
constexpr std::array k_schedule_options{"config"sv,   "state-dir"sv, "cert"sv,    "env-file"sv,
                                        "log-file"sv, "install"sv,   "unit-dir"sv};
constexpr std::array k_schedule_examples{
    Example{"schedule -c /etc/wildcert/", "print the units and a cron line"},
    Example{"schedule -c /etc/wildcert/ --install",
            "write them into /etc/systemd/system, then enable the timer as printed"},
};

constexpr std::array k_cleanup_synopsis{"cleanup -c PROFILE [--state-dir DIR]"sv};
constexpr std::array k_cleanup_options{"config"sv, "state-dir"sv};
constexpr std::array k_cleanup_examples{
    Example{"cleanup -c example.toml", "remove what a killed run of the profile left in DNS"},
};

constexpr std::array k_help_synopsis{"help [COMMAND]"sv};
constexpr std::array k_help_examples{
    Example{"help renew", "the same as wildcert renew --help"},
};

constexpr std::array k_completion_synopsis{"completion bash|zsh|fish"sv};
constexpr std::array k_completion_examples{
    Example{"completion bash > ~/.local/share/bash-completion/completions/wildcert",
            "complete wildcert in every new bash of this user"},
    Example{"completion fish | source", "complete wildcert in this fish"},
};

constexpr std::array k_list_names_synopsis{"list-names -c PROFILE|FOLDER [-c ...]"sv,
                                           "list-names [--state-dir DIR]"sv};
constexpr std::array k_list_names_options{"config"sv, "state-dir"sv};
constexpr std::array<Example, 0> k_no_examples{};

constexpr std::array k_commands{
    CommandSpec{
        .name = "issue",
        .command = Command::issue,
        .synopsis = k_issue_synopsis,
        .summary = "obtain every certificate of the profile now (then outputs, hooks)",
        .description =
            "Orders every selected certificate of the profile now, due or not, answering the "
            "DNS-01 challenges through the profile's DNS provider, and installs each under "
            "<state>/live/<name>/{privkey,cert,chain,fullchain}.pem. Then it writes the extra "
            "outputs and runs the deploy hooks. The TXT records it added are removed, also "
            "when a step fails.\n\n"
            "Progress goes to stderr; on success stdout has one line per certificate, and on "
            "failure the last line on stderr is \"wildcert: error: <cause>\".",
        .examples = k_issue_examples,
        .options = k_issue_options,
        .run = run_renewal,
    },
    CommandSpec{
        .name = "renew",
        .command = Command::renew,
        .synopsis = k_renew_synopsis,
        .summary = "renew what is due among the certificates of every profile given",
        .description =
            "Renews the certificates that are due: missing, changed in the profile, expired, "
            "inside the CA's renewal window (ARI), or with less than renew_before of their "
            "lifetime left. A certificate that is not due costs no network request. Several "
            "-c may be given; a folder means each *.toml in it.\n\n"
            "A certificate another run is working on is skipped (exit 3) unless --wait-lock "
            "is given.",
        .examples = k_renew_examples,
        .options = k_renew_options,
        .run = run_renewal,
    },
    CommandSpec{
        .name = "list",
        .command = Command::list,
        .synopsis = k_list_synopsis,
        .summary = "every certificate: names, issuer, expiry, days left, next renewal",
        .description =
            "Lists every certificate of the state directory from the state directory alone: no "
            "profile, no secret, no network. Each row has the names, issuer, expiry, days "
            "left, next renewal (the CA's cached window), state, the profile that issued it "
            "(\"unknown\" for certificates issued before wildcert recorded it) and the live "
            "path.\n\n"
            "With -c, the profiles' [[certificate]] tables are read too (never [acme] or "
            "[dns], so their credentials are not needed): what they want that is missing is "
            "added, and their certificates get renew's decision (due, next renewal).",
        .examples = k_list_examples,
        .options = k_list_options,
        .run = run_list,
        .needs_profile = false,
    },
    CommandSpec{
        .name = "delete",
        .command = Command::delete_certificate,
        .synopsis = k_delete_synopsis,
        .summary = "remove a certificate's lineage: live/NAME, archive/NAME/, status/NAME.txt",
        .description =
            "Removes a certificate from the state directory: live/NAME, every version under "
            "archive/NAME/ and status/NAME.txt, under the certificate's lock (a run working on "
            "it makes delete exit 3). Nothing at the CA changes (revoke first if the key "
            "leaked), nor the profile: remove its [[certificate]] too, or the next renew "
            "issues it again. Outputs and what hooks copied elsewhere are left alone.\n\n"
            "It asks before deleting; --yes confirms without asking. Without --yes and "
            "without a terminal on stdin it refuses (exit 2) rather than wait.",
        .examples = k_delete_examples,
        .options = k_delete_options,
        .run = run_delete,
        .needs_profile = false,
    },
    CommandSpec{
        .name = "check",
        .command = Command::check,
        .synopsis = k_check_synopsis,
        .summary = "preflight: state, directory, zones, nameservers, credentials, CAA",
        .description =
            "A preflight that orders nothing and leaves no change: the state directory is "
            "writable, the ACME directory answers, each name has a zone of its own (never a "
            "TLD or public suffix) whose nameservers serve the same serial, the DNS "
            "provider's credentials work and may change each _acme-challenge name (rfc2136: "
            "one UPDATE that adds a random TXT value and deletes it again), and CAA (RFC "
            "8659) allows this CA. Exit 1 when a check failed (warnings allowed).",
        .examples = k_check_examples,
        .options = k_check_options,
        .run = run_check,
    },
    CommandSpec{
        .name = "metrics",
        .command = Command::metrics,
        .synopsis = k_metrics_synopsis,
        .summary = "the certificates as Prometheus metrics (expiry, renewal window, deploy state)",
        .description =
            "Prints the state directory's certificates in Prometheus text format, or writes "
            "them atomically to a file for node_exporter's textfile collector: "
            "wildcert_certificate_expiry_timestamp_seconds (labels name, profile, domain, "
            "issuer), the CA's renewal window when cached, whether the deploy of the current "
            "version is pending and how many targets are done. From the state directory "
            "alone: no profile, no secret, no network. examples/monitoring/ has alert rules.",
        .examples = k_metrics_examples,
        .options = k_metrics_options,
        .run = run_metrics,
        .needs_profile = false,
    },
    CommandSpec{
        .name = "probe",
        .command = Command::probe,
        .synopsis = k_probe_synopsis,
        .summary = "what each deploy endpoint serves now, and whether it is the live version",
        .description =
            "Connects with TLS to every verify endpoint of the profiles' [[certificate.deploy]] "
            "entries (a few at once, SNI set, no trust decision) and shows what each serves: "
            "subject, serial, days left, and whether it is the certificate live/ holds (live), "
            "another (stale) or nothing (unreachable). Reads only the [[certificate]] tables, "
            "so no credential is needed. Exit 1 when an endpoint is not live.",
        .examples = k_probe_examples,
        .options = k_probe_options,
        .run = run_probe,
    },
    CommandSpec{
        .name = "config",
        .command = Command::config,
        .synopsis = k_config_synopsis,
        .summary = "the profile as wildcert understood it, secrets redacted",
        .description =
            "Prints the profile after loading: defaults filled in, known CA names resolved, "
            "WILDCERT_* variables, ${VAR} and <key>_file applied. The output is TOML that "
            "loads again; every secret (TSIG secret, API tokens, the EAB MAC key, output "
            "passwords) is shown as \"<redacted>\", and each provider setting ends with a "
            "comment saying where it came from (file:line or the variable). Nothing is sent "
            "and the state directory is not read.\n\n"
            "With --json, one object: profile, certificates, provider and the same text as "
            "\"toml\".",
        .examples = k_config_examples,
        .options = k_config_options,
        .run = run_config,
    },
    CommandSpec{
        .name = "schedule",
        .command = Command::schedule,
        .synopsis = k_schedule_synopsis,
        .summary = "print (or --install) a systemd timer and a cron line that run renew",
        .description =
            "Prints a systemd service and timer (twice a day, 1 h random delay) and a cron "
            "line that run \"wildcert renew\" with these options. --install writes the two "
            "units instead; wildcert runs no systemctl itself.",
        .examples = k_schedule_examples,
        .options = k_schedule_options,
        .run = run_schedule,
    },
    CommandSpec{
        .name = "cleanup",
        .command = Command::cleanup,
        .synopsis = k_cleanup_synopsis,
        .summary = "remove the TXT records earlier runs left behind (journal/) and show what "
                   "was done",
        .description =
            "Removes the TXT records that earlier runs of the profile left behind (the cleanup "
            "journal under <state>/journal/) and prints one line per record: removed, or "
            "failed with the cause. Exit 1 when one could not be removed (it stays in the "
            "journal).",
        .examples = k_cleanup_examples,
        .options = k_cleanup_options,
        .run = run_cleanup,
    },
    CommandSpec{
        .name = "account",
        .command = Command::account,
        .synopsis = k_account_synopsis,
        .summary = "show, update-contact, rollover or deactivate the profile's ACME account",
        .description =
            "Acts on the account that issue created for the profile's directory (and EAB key "
            "id); none of the actions creates one.\n\n"
            "show: URL, status, contact, key type, directory, EAB key id. update-contact: set "
            "the contact at the CA (default: acme.contact). rollover: replace the account key "
            "(RFC 8555 section 7.3.5) by a new one, keeping the old as a backup. deactivate: "
            "deactivate the account at the CA (irreversible); the next issue creates a new "
            "account.",
        .examples = k_account_examples,
        .options = k_account_options,
        .operand = {"ACTION", true,
                    [](Arguments& a, std::string_view value) -> Result<void> {
                        a.account_action = std::string(value);
                        return {};
                    },
                    account_actions},
        .run = run_account,
    },
    CommandSpec{
        .name = "revoke",
        .command = Command::revoke,
        .synopsis = k_revoke_synopsis,
        .summary = "revoke the current certificate of one [[certificate]]",
        .description =
            "Revokes the current certificate of live/NAME, signed with the account key or, "
            "with --with-cert-key, with the certificate's own key (no account needed). R is "
            "one of unspecified, keyCompromise, cACompromise, affiliationChanged, "
            "superseded, cessationOfOperation, certificateHold, removeFromCRL, "
            "privilegeWithdrawn, aACompromise.",
        .examples = k_revoke_examples,
        .options = k_revoke_options,
        .run = run_revoke,
    },
    CommandSpec{
        .name = "providers",
        .command = Command::providers,
        .synopsis = k_providers_synopsis,
        .summary = "the DNS providers, or one provider's settings",
        .description = "Lists the DNS providers compiled in, or one provider's settings: TOML "
                       "key, environment variable, type, default, required, secret.",
        .examples = k_providers_examples,
        .options = k_no_options,
        .operand = {"NAME", false,
                    [](Arguments& a, std::string_view value) -> Result<void> {
                        a.provider_name = std::string(value);
                        return {};
                    },
                    provider_names},
        .run = run_providers,
        .needs_profile = false,
    },
    CommandSpec{
        .name = "deployers",
        .command = Command::deployers,
        .synopsis = k_deployers_synopsis,
        .summary = "the deployers, or one deployer's keys",
        .description = "Lists the deployers compiled in ([[certificate.deploy]] type), or one "
                       "deployer's keys: TOML key, environment variable, type, default, "
                       "required, secret.",
        .examples = k_deployers_examples,
        .options = k_no_options,
        .operand = {"NAME", false,
                    [](Arguments& a, std::string_view value) -> Result<void> {
                        a.deployer_name = std::string(value);
                        return {};
                    },
                    deployer_names},
        .run = run_deployers,
        .needs_profile = false,
    },
    CommandSpec{
        .name = "completion",
        .command = Command::completion,
        .synopsis = k_completion_synopsis,
        .summary = "print the bash, zsh or fish script that completes wildcert's command line",
        .description =
            "Prints the completion script of the shell given: commands, options, their values "
            "(files, folders, the choices of --key-type, --reason and --json) and the "
            "certificate names for --cert, which it asks \"wildcert list-names\" for: those "
            "of the profiles given with -c on the line, else those of the state directory "
            "(--state-dir on the line, else the default). The build installs the same "
            "scripts where bash-completion, zsh and fish look for them.",
        .examples = k_completion_examples,
        .options = k_no_options,
        .operand = {"SHELL", true,
                    [](Arguments& a, std::string_view value) -> Result<void> {
                        const auto shells = completion_shells();
                        if (std::find(shells.begin(), shells.end(), value) == shells.end())
                            return usage("completion " + std::string(value) +
                                         ": expected bash, zsh or fish");
                        a.completion_shell = std::string(value);
                        return {};
                    },
                    completion_shells},
        .run = run_completion,
        .needs_profile = false,
    },
    CommandSpec{
        .name = "help",
        .command = Command::help,
        .synopsis = k_help_synopsis,
        .summary = "this overview, or one command's options and examples",
        .description = "Without COMMAND: the overview of every command. With one: its "
                       "synopsis, options and examples, as COMMAND --help prints them.",
        .examples = k_help_examples,
        .options = k_no_options,
        .operand = {"COMMAND", false,
                    [](Arguments& a, std::string_view value) -> Result<void> {
                        a.help_topic = std::string(value);
                        return {};
                    },
                    command_names},
        .run = run_help,
        .needs_profile = false,
    },
    CommandSpec{
        .name = "list-names",
        .command = Command::list_names,
        .synopsis = k_list_names_synopsis,
        .summary = "the certificate names of the profiles, one a line (for completion)",
        .description =
            "Prints the name of every [[certificate]] of the profiles given, one a line, "
            "reading nothing but the profile files; without -c, the certificates under live/ "
            "of the state directory (--state-dir, else the default), which it reads without "
            "creating or repairing anything. The shell completions call it for --cert.",
        .examples = k_no_examples,
        .options = k_list_names_options,
        .run = run_list_names,
        .needs_profile = false,
        .hidden = true,
    },
};

} // namespace

std::vector<std::string> command_names() {
    std::vector<std::string> names;
    for (const auto& command : k_commands) {
        if (!command.hidden)
            names.emplace_back(command.name);
    }
    return names;
}

std::span<const OptionSpec> all_options() {
    return k_options;
}

std::span<const std::string_view> global_option_names() {
    return k_global_options;
}

std::span<const CommandSpec> all_commands() {
    return k_commands;
}

const OptionSpec* find_long_option(std::string_view name) {
    for (const auto& option : k_options) {
        if (option.long_name == name)
            return &option;
    }
    return nullptr;
}

const OptionSpec* find_short_option(char name) {
    for (const auto& option : k_options) {
        if (option.short_name != 0 && option.short_name == name)
            return &option;
    }
    return nullptr;
}

const CommandSpec* find_command(std::string_view name) {
    for (const auto& command : k_commands) {
        if (command.name == name)
            return &command;
    }
    return nullptr;
}

const CommandSpec& command_spec(Command command) {
    for (const auto& spec : k_commands) {
        if (spec.command == command)
            return spec;
    }
    return k_commands.front(); // every Command has an entry (unit-tested)
}

std::vector<const OptionSpec*> options_of(const CommandSpec& command) {
    std::vector<const OptionSpec*> options;
    for (const auto name : command.options)
        options.push_back(find_long_option(name));
    for (const auto name : k_global_options)
        options.push_back(find_long_option(name));
    return options;
}

bool takes_option(const CommandSpec& command, const OptionSpec& option) {
    for (const auto* own : options_of(command)) {
        if (own == &option)
            return true;
    }
    return false;
}

bool is_global_option(const OptionSpec& option) {
    for (const auto name : k_global_options) {
        if (name == option.long_name)
            return true;
    }
    return false;
}

std::string option_label(const OptionSpec& option) {
    std::string label = option.short_name != 0 ? std::string{'-', option.short_name, ','} + " "
                                               : std::string("    ");
    label += "--" + std::string(option.long_name);
    if (option.value == ValueMode::required)
        label += " " + std::string(option.value_name);
    else if (option.value == ValueMode::optional)
        label += "[=" + std::string(option.value_name) + "]";
    return label;
}

} // namespace wildcert::cli
