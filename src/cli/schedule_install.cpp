#include "cli/schedule_units.hpp"

#include "store/atomic_file.hpp"

#include <system_error>

namespace wildcert::cli {

Result<std::vector<std::filesystem::path>> install_units(const std::filesystem::path& unit_dir,
                                                         const ScheduleSpec& spec) {
    std::error_code error;
    if (!std::filesystem::is_directory(unit_dir, error))
        return make_error(ErrorKind::io, "--unit-dir " + unit_dir.string() +
                                             ": not a folder (systemd reads units from an "
                                             "existing folder such as " +
                                             std::string(k_default_unit_dir) + ")");
    // Units are not secret and systemd reads them as any user: 0644, as systemctl edit makes.
    const auto mode = std::filesystem::perms::owner_read | std::filesystem::perms::owner_write |
                      std::filesystem::perms::group_read | std::filesystem::perms::others_read;
    const std::vector<std::pair<std::filesystem::path, std::string>> files{
        {unit_dir / k_service_name, service_unit(spec)},
        {unit_dir / k_timer_name, timer_unit()},
    };
    std::vector<std::filesystem::path> written;
    for (const auto& [path, text] : files) {
        WILDCERT_CHECK(store::write_file_atomically(path, text, mode));
        written.push_back(path);
    }
    return written;
}

} // namespace wildcert::cli
