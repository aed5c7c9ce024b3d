#include "cli/arguments.hpp"

#include "cli/account_arguments.hpp"
#include "cli/renewal_arguments.hpp"
#include "cli/schedule_command.hpp"
#include "config/duration.hpp"

#include <charconv>
#include <cstdlib>
#include <unistd.h>

namespace wildcert::cli {
namespace {

Result<Arguments> usage_error(const std::string& message) {
    return make_error(ErrorKind::usage, message + " (see wildcert --help)");
}

// "Wait as long as it takes" for --wait-lock without a duration: a year is forever here.
constexpr std::chrono::milliseconds k_wait_lock_forever = std::chrono::hours(24 * 365);

std::optional<std::size_t> parse_count(const std::string& text) {
    std::size_t number = 0;
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, number);
    if (text.empty() || ec != std::errc() || ptr != end || number < 1 || number > 64)
        return std::nullopt;
    return number;
}

} // namespace

const char* usage_text() {
    return R"(Usage: wildcert COMMAND [OPTIONS]

Obtains TLS certificates from an ACME CA (RFC 8555) through DNS-01 challenges.

Commands:
  issue            obtain every certificate of the profile now (then outputs, hooks)
  renew            renew what is due among the certificates of every profile given
                   (-c repeatable; a folder means each *.toml in it); not-due
                   certificates cost no network request
  list             every certificate: names, issuer, expiry, days left, next
                   renewal (--json for JSON)
  providers [NAME] list the DNS providers, or one provider's settings (TOML key,
                   environment variable, type, default, required, secret)
  account show     the profile's ACME account: URL, status, contact, key type,
                   directory, EAB key id (--json for JSON)
  account update-contact [--contact mailto:X]...
                   set the account's contact at the CA (default: acme.contact)
  account rollover [--key-type TYPE]
                   replace the account key (RFC 8555 §7.3.5) by a new one of TYPE
                   (default: acme.account_key); the old key is kept as a backup
  account deactivate --yes
                   deactivate the account at the CA (irreversible); the next
                   issue creates a new account
  revoke --cert NAME [--reason R] [--with-cert-key]
                   revoke the current certificate of NAME, signed with the
                   account key or, with --with-cert-key, the certificate's key;
                   R: unspecified keyCompromise cACompromise affiliationChanged
                   superseded cessationOfOperation certificateHold removeFromCRL
                   privilegeWithdrawn aACompromise
  schedule -c PROFILE... [--state-dir DIR] [--cert NAME]...
           [--env-file FILE] [--log-file FILE] [--install [--unit-dir DIR]]
                   print a systemd service + timer (twice a day, 1h random delay),
                   the environment file for the profiles' ${VAR}s and a cron line
                   that run `wildcert renew` with these options; --install writes
                   the units into DIR (default /etc/systemd/system) and creates
                   the environment file (default /etc/wildcert/<unit>.env, 0600)
  check [--json]   preflight, ordering nothing and changing no record: the
                   ACME directory, each name's zone and nameservers, the DNS
                   provider's credentials and CAA (RFC 8659) for this CA;
                   exit 1 when a check failed (warnings allowed)
  cleanup          remove the TXT records that earlier runs of the profile left
                   behind (<state>/journal/), one line per record: removed, or
                   failed with the cause; exit 1 when one could not be removed

Options of issue, renew, list, check, cleanup, schedule, account and revoke:
  -c, --config PROFILE   the TOML profile (required)
      --state-dir DIR    state directory (default: $WILDCERT_STATE_DIR, else
                         /var/lib/wildcert as root, else $XDG_STATE_HOME/wildcert)
      --cert NAME        only this [[certificate]] of the profile (repeatable)
  -v, --verbose          more detail on stderr (repeatable); secrets are never shown
  -q, --quiet            no progress lines; warnings, errors and results only

Options of issue and renew:
      --json             one JSON document on stdout (--json=stream: one JSON line
                         per certificate as it finishes, then a summary line)
      --force            renew every selected certificate, due or not (renew)
      --dry-run          the whole flow against the staging directory
                         (acme.staging_directory, else the known CA's staging
                         twin, else acme.directory); live/, outputs and state are
                         left alone; every selected certificate counts as due
      --run-hooks        with --dry-run: run the deploy hooks on the test files
      --wait-lock[=DUR]  wait (up to DUR) for certificates another run is
                         working on, instead of skipping them
      --concurrency N    orders handled at once (default 8)

Other:
  -h, --help             this text
  -V, --version          the version

Exit codes:
  0  everything asked for is in place
  1  an ACME, DNS or provider step failed (the records it added are removed)
  2  usage or profile error (nothing was sent anywhere)
  3  lock held: another run was working on a certificate, which was skipped
     (nothing failed); with --wait-lock, only when the wait timed out
Precedence when several apply: 2, then 1, then 3.

Certificates land in <state>/live/<name>/{privkey,cert,chain,fullchain}.pem.
)";
}

Result<Arguments> parse_arguments(const std::vector<std::string>& args) {
    Arguments parsed;
    bool have_command = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const auto& arg = args[i];
        const auto value = [&](const char* option) -> Result<std::string> {
            if (i + 1 >= args.size())
                return make_error(ErrorKind::usage,
                                  std::string(option) + " needs a value (see wildcert --help)");
            return args[++i];
        };
        if (arg == "-h" || arg == "--help") {
            parsed.command = Command::help;
            return parsed;
        }
        if (arg == "-V" || arg == "--version") {
            parsed.command = Command::version;
            return parsed;
        }
        if (arg == "-c" || arg == "--config") {
            WILDCERT_TRY(auto text, value("--config"));
            if (parsed.profiles.empty())
                parsed.profile = text;
            parsed.profiles.emplace_back(text);
        } else if (arg == "--state-dir") {
            WILDCERT_TRY(auto text, value("--state-dir"));
            parsed.state_dir = text;
        } else if (arg == "--cert") {
            WILDCERT_TRY(auto text, value("--cert"));
            parsed.certificates.push_back(text);
        } else if (arg == "--contact") {
            WILDCERT_TRY(auto text, value("--contact"));
            parsed.contact.push_back(text);
        } else if (arg == "--key-type") {
            WILDCERT_TRY(auto text, value("--key-type"));
            parsed.key_type = text;
        } else if (arg == "--reason") {
            WILDCERT_TRY(auto text, value("--reason"));
            parsed.reason = text;
        } else if (arg == "--unit-dir") {
            WILDCERT_TRY(auto text, value("--unit-dir"));
            parsed.unit_dir = text;
        } else if (arg == "--env-file") {
            WILDCERT_TRY(auto text, value("--env-file"));
            parsed.env_file = text;
        } else if (arg == "--log-file") {
            WILDCERT_TRY(auto text, value("--log-file"));
            parsed.log_file = text;
        } else if (arg == "-q" || arg == "--quiet") {
            parsed.verbosity = -1;
        } else if (arg == "--install") {
            parsed.install = true;
        } else if (arg == "--yes") {
            parsed.yes = true;
        } else if (arg == "--json") {
            parsed.json = true;
        } else if (arg == "--json=stream") {
            parsed.json = true;
            parsed.json_stream = true;
        } else if (arg == "--force") {
            parsed.force = true;
        } else if (arg == "--dry-run") {
            parsed.dry_run = true;
        } else if (arg == "--run-hooks") {
            parsed.run_hooks = true;
        } else if (arg == "--wait-lock") {
            parsed.wait_lock = k_wait_lock_forever;
        } else if (arg.starts_with("--wait-lock=")) {
            const auto duration = config::parse_duration(arg.substr(12));
            if (!duration)
                return usage_error("--wait-lock=" + arg.substr(12) +
                                   ": expected a duration such as 30s, 10m or 1h");
            parsed.wait_lock = *duration;
        } else if (arg == "--concurrency") {
            WILDCERT_TRY(auto text, value("--concurrency"));
            const auto number = parse_count(text);
            if (!number)
                return usage_error("--concurrency " + text + ": expected a number from 1 to 64");
            parsed.concurrency = *number;
        } else if (arg == "--with-cert-key") {
            parsed.with_cert_key = true;
        } else if (arg == "-v" || arg == "--verbose") {
            ++parsed.verbosity;
        } else if (arg.size() > 2 && arg[0] == '-' && arg[1] == 'v' &&
                   arg.find_first_not_of('v', 1) == std::string::npos) {
            parsed.verbosity += static_cast<int>(arg.size() - 1); // -vv
        } else if (!arg.empty() && arg[0] == '-') {
            return usage_error("unknown option " + arg);
        } else if (!have_command) {
            if (arg == "issue")
                parsed.command = Command::issue;
            else if (arg == "renew")
                parsed.command = Command::renew;
            else if (arg == "list")
                parsed.command = Command::list;
            else if (arg == "providers")
                parsed.command = Command::providers;
            else if (arg == "account")
                parsed.command = Command::account;
            else if (arg == "revoke")
                parsed.command = Command::revoke;
            else if (arg == "schedule")
                parsed.command = Command::schedule;
            else if (arg == "check")
                parsed.command = Command::check;
            else if (arg == "cleanup")
                parsed.command = Command::cleanup;
            else
                return usage_error("unknown command \"" + arg + "\"");
            have_command = true;
        } else if (parsed.command == Command::providers && !parsed.provider_name) {
            parsed.provider_name = arg;
        } else if (parsed.command == Command::account && parsed.account_action.empty()) {
            parsed.account_action = arg;
        } else {
            return usage_error("unexpected argument \"" + arg + "\"");
        }
    }
    if (!have_command)
        return usage_error("no command given");
    if (parsed.command == Command::providers) {
        if (!parsed.profile.empty() || parsed.state_dir || !parsed.certificates.empty())
            return usage_error("providers takes no --config, --state-dir or --cert");
        return parsed;
    }
    WILDCERT_CHECK(check_account_and_revoke(parsed));
    WILDCERT_CHECK(check_renewal_options(parsed));
    WILDCERT_CHECK(check_schedule_arguments(parsed));
    if (parsed.profile.empty())
        return usage_error(std::string(command_name(parsed.command)) +
                           " needs a profile: -c PROFILE");
    return parsed;
}

std::filesystem::path default_state_dir() {
    if (const char* env = std::getenv("WILDCERT_STATE_DIR"); env && *env)
        return env;
    if (geteuid() == 0)
        return "/var/lib/wildcert";
    if (const char* xdg = std::getenv("XDG_STATE_HOME"); xdg && *xdg)
        return std::filesystem::path(xdg) / "wildcert";
    const char* home = std::getenv("HOME");
    return std::filesystem::path(home && *home ? home : ".") / ".local/state/wildcert";
}

} // namespace wildcert::cli
