#pragma once

#include <wildcert/result.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace wildcert::cli {

enum class Command { help, version, issue, providers, account, revoke, check };

struct Arguments {
    Command command = Command::help;
    std::filesystem::path profile;                  // -c, --config
    std::optional<std::filesystem::path> state_dir; // --state-dir
    std::vector<std::string> certificates;          // --cert (repeatable); empty: all
    int verbosity = 0;                              // -v, repeatable
    std::optional<std::string> provider_name;       // `providers NAME`
    // account and revoke (account_command.hpp, revoke_command.hpp)
    std::string account_action;          // show | update-contact | rollover | deactivate
    std::vector<std::string> contact;    // --contact (repeatable)
    std::optional<std::string> key_type; // --key-type
    bool yes = false;                    // --yes
    bool json = false;                   // --json
    std::optional<std::string> reason;   // --reason
    bool with_cert_key = false;          // --with-cert-key
};

// Parses argv (without argv[0]). Errors are ErrorKind::usage.
[[nodiscard]] Result<Arguments> parse_arguments(const std::vector<std::string>& args);

// --state-dir, else $WILDCERT_STATE_DIR, else /var/lib/wildcert for root, else
// $XDG_STATE_HOME/wildcert (~/.local/state/wildcert).
[[nodiscard]] std::filesystem::path default_state_dir();

[[nodiscard]] const char* usage_text();

} // namespace wildcert::cli
