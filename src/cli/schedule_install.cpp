#include "cli/schedule_units.hpp"

#include "common/regular_file.hpp"
#include "store/atomic_file.hpp"

#include <fcntl.h>

#include <sstream>
#include <system_error>

namespace wildcert::cli {
namespace {

// The line of an installed service that names what it runs, or "" when it has none.
std::string marker_of(const std::string& unit_text) {
    std::istringstream in(unit_text);
    for (std::string line; std::getline(in, line);) {
        if (line.starts_with("# wildcert schedule of: "))
            return line;
    }
    return "";
}

// A unit of the same name written for other profiles is another schedule: replacing it would
// silently stop that one.
Result<void> check_not_another_schedule(const std::filesystem::path& service,
                                        const ScheduleSpec& spec) {
    auto read = read_regular_file(AT_FDCWD, service, 1024 * 1024, Symlinks::refuse);
    if (!read)
        return make_error(ErrorKind::io, service.string() + ": " + read.error().message);
    const auto& existing = *read;
    if (!existing)
        return {};
    const auto marker = marker_of(*existing);
    if (marker.empty() || marker == schedule_marker(spec))
        return {};
    return make_error(ErrorKind::usage,
                      service.string() + " already schedules other profiles (" +
                          marker.substr(marker.find(':') + 2) +
                          "); remove that schedule first, or schedule this profile from a "
                          "file of another name");
}

// Created once, never overwritten: after the first --install it holds the user's secrets.
Result<bool> create_environment_file(const ScheduleSpec& spec) {
    std::error_code error;
    if (std::filesystem::exists(spec.env_file, error))
        return false;
    WILDCERT_CHECK(store::create_private_dirs(spec.env_file.parent_path()));
    WILDCERT_CHECK(store::write_file_atomically(spec.env_file, environment_file(spec),
                                                std::filesystem::perms::owner_read |
                                                    std::filesystem::perms::owner_write));
    return true;
}

} // namespace

Result<std::vector<std::filesystem::path>> install_units(const std::filesystem::path& unit_dir,
                                                         const ScheduleSpec& spec) {
    std::error_code error;
    if (!std::filesystem::is_directory(unit_dir, error))
        return make_error(ErrorKind::io, "--unit-dir " + unit_dir.string() +
                                             ": not a folder (systemd reads units from an "
                                             "existing folder such as " +
                                             std::string(k_default_unit_dir) + ")");
    const auto service = unit_dir / service_name(spec);
    WILDCERT_CHECK(check_not_another_schedule(service, spec));
    std::vector<std::filesystem::path> written;
    if (!spec.env_file.empty()) {
        WILDCERT_TRY(const bool created, create_environment_file(spec));
        if (created)
            written.push_back(spec.env_file);
    }
    // Units are not secret and systemd reads them as any user: 0644, as systemctl edit makes.
    const auto mode = std::filesystem::perms::owner_read | std::filesystem::perms::owner_write |
                      std::filesystem::perms::group_read | std::filesystem::perms::others_read;
    const std::vector<std::pair<std::filesystem::path, std::string>> files{
        {service, service_unit(spec)},
        {unit_dir / timer_name(spec), timer_unit(spec)},
    };
    for (const auto& [path, text] : files) {
        WILDCERT_CHECK(store::write_file_atomically(path, text, mode));
        written.push_back(path);
    }
    return written;
}

} // namespace wildcert::cli
