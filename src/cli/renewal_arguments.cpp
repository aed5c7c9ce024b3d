#include "cli/renewal_arguments.hpp"

namespace wildcert::cli {

Result<void> check_renewal_options(const Arguments& parsed) {
    const auto refuse = [](const std::string& message) -> Result<void> {
        return make_error(ErrorKind::usage, message + " (see wildcert --help)");
    };
    const bool renews = parsed.command == Command::issue || parsed.command == Command::renew;
    if (!renews && (parsed.dry_run || parsed.run_hooks || parsed.wait_lock || parsed.json_stream ||
                    parsed.concurrency != 8 || parsed.dry_run_against_production))
        return refuse("--dry-run, --run-hooks, --dry-run-against-production, --wait-lock, "
                      "--concurrency and --json=stream belong to `issue` and `renew`");
    if (parsed.deploy_only && parsed.command != Command::renew)
        return refuse("--deploy-only belongs to `renew`");
    if (parsed.deploy_only && (parsed.force || parsed.dry_run))
        return refuse("--deploy-only orders nothing: not with --force or --dry-run");
    if (parsed.force && parsed.command != Command::renew)
        return refuse("--force belongs to `renew` (issue always renews)");
    if (parsed.dry_run_against_production && !parsed.dry_run)
        return refuse("--dry-run-against-production goes with --dry-run");
    if (parsed.run_hooks && !parsed.dry_run)
        return refuse("--run-hooks goes with --dry-run (outside a dry run, hooks always run)");
    const bool several_profiles =
        parsed.command == Command::renew || parsed.command == Command::list;
    if (parsed.profiles.size() > 1 && !several_profiles)
        return refuse("only `renew`, `list` and `schedule` take several -c PROFILE");
    return {};
}

} // namespace wildcert::cli
