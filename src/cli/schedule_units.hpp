#pragma once
// The text `wildcert schedule` prints or installs: a systemd service + timer pair that runs
// `wildcert renew` twice a day, and a cron line for systems without systemd.

#include <wildcert/result.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wildcert::cli {

// Unit names are "wildcert-renew-<profiles>.service" and ".timer" (unit_stem_for), so that each
// schedule gets units of its own.
inline constexpr std::string_view k_unit_prefix = "wildcert-renew";
inline constexpr std::string_view k_default_unit_dir = "/etc/systemd/system";
// Where the environment file (EnvironmentFile=, sourced by the cron line) and the cron line's
// log go by default: <dir>/<unit stem>.env and .log.
inline constexpr std::string_view k_default_env_dir = "/etc/wildcert";
inline constexpr std::string_view k_default_log_dir = "/var/log";
// Where `wildcert renew` keeps its state when run as root without --state-dir.
inline constexpr std::string_view k_root_state_dir = "/var/lib/wildcert";

// What the scheduled `wildcert renew` is run with. Paths are absolute.
struct ScheduleSpec {
    std::filesystem::path binary;                   // the wildcert executable
    std::vector<std::filesystem::path> profiles;    // one -c each, in order
    std::optional<std::filesystem::path> state_dir; // --state-dir, when given
    std::vector<std::string> certificates;          // --cert, when given
    std::string unit_stem{k_unit_prefix};           // <stem>.service and <stem>.timer
    std::filesystem::path env_file;                 // the variables' file; empty: none
    std::vector<std::string> variables;             // the ${VAR}s the profiles read
    std::filesystem::path log_file;                 // the cron line appends its output here
};

// "wildcert-renew-" and the profiles' file names (without .toml) and the --cert names, joined
// by '-', each character that is not a letter, digit, '_' or '-' replaced by '_'. Long lists
// are cut and end in a hash of the whole, so the name stays under systemd's limit.
[[nodiscard]] std::string unit_stem_for(const std::vector<std::filesystem::path>& profiles,
                                        const std::vector<std::string>& certificates);

[[nodiscard]] std::string service_name(const ScheduleSpec& spec);
// The service's comment line naming what it runs: `--install` overwrites a unit only when
// this line is the same.
[[nodiscard]] std::string schedule_marker(const ScheduleSpec& spec);
[[nodiscard]] std::string timer_name(const ScheduleSpec& spec);

// When the cron line runs: at `minute` past `hour` and past `hour` + 12.
struct CronTime {
    int minute = 0; // 0-59
    int hour = 0;   // 0-11
};

// argv of the scheduled run: binary, "renew", then the options.
[[nodiscard]] std::vector<std::string> renew_command(const ScheduleSpec& spec);

// One word of a unit file's command line or path list (systemd.syntax(7), systemd.service(5)
// "Command lines"): quoted when it holds anything but plain path characters, with '%' doubled
// (specifiers) and, in command lines, '$' doubled (variable expansion).
[[nodiscard]] std::string systemd_word(std::string_view word, bool command_line);

// One word for /bin/sh in a crontab line: single-quoted when needed, and '%' (a newline to
// cron, crontab(5)) escaped.
[[nodiscard]] std::string cron_word(std::string_view word);

[[nodiscard]] std::string service_unit(const ScheduleSpec& spec);
[[nodiscard]] std::string timer_unit(const ScheduleSpec& spec);
[[nodiscard]] std::string cron_line(const ScheduleSpec& spec, CronTime time);
// The environment file as created: a comment, then "NAME=" for each variable, to be filled in.
[[nodiscard]] std::string environment_file(const ScheduleSpec& spec);

// Writes both units into `unit_dir` (which must exist), each atomically and mode 0644, and,
// when it does not exist yet, the environment file (mode 0600, its folder 0700 if missing; an
// existing one keeps its values). Returns the paths written. Running it again with the same
// spec gives the same files; units of the same name written for other profiles are not
// overwritten (ErrorKind::usage).
[[nodiscard]] Result<std::vector<std::filesystem::path>>
install_units(const std::filesystem::path& unit_dir, const ScheduleSpec& spec);

} // namespace wildcert::cli
