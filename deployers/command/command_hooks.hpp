#pragma once
// [[certificate.deploy]]: commands run after a certificate changed (docs/dev/architecture.md §5).

#include <wildcert/client.hpp>
#include <wildcert/profile.hpp>

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace wildcert::deployers {

// What a deploy command is told, as WILDCERT_* environment variables.
struct DeployContext {
    std::string name;                           // WILDCERT_NAME
    std::vector<std::string> domains;           // WILDCERT_DOMAINS, space-separated
    std::filesystem::path live_dir;             // WILDCERT_LIVE_DIR
    std::filesystem::path cert;                 // WILDCERT_CERT
    std::filesystem::path chain;                // WILDCERT_CHAIN
    std::filesystem::path fullchain;            // WILDCERT_FULLCHAIN
    std::filesystem::path key;                  // WILDCERT_KEY
    std::vector<std::filesystem::path> outputs; // WILDCERT_OUTPUTS, space-separated
    std::string serial_hex;                     // WILDCERT_SERIAL
    std::string not_after;                      // WILDCERT_NOT_AFTER (RFC 3339)
    bool dry_run = false;                       // WILDCERT_DRY_RUN=1 when set
};

struct HookOutcome {
    std::string command; // DeploySettings::shown (${VAR} arguments as written), for the report
    bool ok = false;
    std::string failure;     // "" when ok: "exited with status 3", "timed out after 60s", ...
    std::string output_tail; // the end of stdout and stderr, for the report and the log
    std::chrono::milliseconds elapsed{0};
};

// Runs `hooks` in order with the caller's environment plus the context's variables, each with
// its timeout; stops at the first that fails (the whole list is retried on the next run, so
// hooks must be idempotent, as reloads are). Each command's output goes to `log` (debug) and
// its outcome (info). Returns one outcome per hook that ran; when `cancelled` says so before a
// hook starts, that hook gets a failed outcome ("not started: interrupted") and none after it
// runs. So all hooks succeeded exactly when every outcome is ok and there is one per hook.
// A bare command[0] is looked up in PATH here, at run time. Output is cleaned of the values of
// secret-looking variables of the caller's environment before it is logged or returned.
[[nodiscard]] std::vector<HookOutcome> run_deploy_hooks(const std::vector<DeploySettings>& hooks,
                                                        const DeployContext& context,
                                                        const LogSink& log,
                                                        const std::function<bool()>& cancelled);

} // namespace wildcert::deployers
