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

inline constexpr std::string_view k_service_name = "wildcert-renew.service";
inline constexpr std::string_view k_timer_name = "wildcert-renew.timer";
inline constexpr std::string_view k_default_unit_dir = "/etc/systemd/system";
// Where `wildcert renew` keeps its state when run as root without --state-dir.
inline constexpr std::string_view k_root_state_dir = "/var/lib/wildcert";

// What the scheduled `wildcert renew` is run with. Paths are absolute.
struct ScheduleSpec {
    std::filesystem::path binary;                   // the wildcert executable
    std::vector<std::filesystem::path> profiles;    // one -c each, in order
    std::optional<std::filesystem::path> state_dir; // --state-dir, when given
    std::vector<std::string> certificates;          // --cert, when given
};

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
[[nodiscard]] std::string timer_unit();
[[nodiscard]] std::string cron_line(const ScheduleSpec& spec, CronTime time);

// Writes both units into `unit_dir` (which must exist), each atomically and mode 0644. Returns
// the two paths written. Running it again with the same spec gives the same files.
[[nodiscard]] Result<std::vector<std::filesystem::path>>
install_units(const std::filesystem::path& unit_dir, const ScheduleSpec& spec);

} // namespace wildcert::cli
