#include "cli/schedule_command.hpp"

#include "cli/exit_codes.hpp"
#include "cli/schedule_units.hpp"

#include <iostream>
#include <random>
#include <system_error>

namespace wildcert::cli {
namespace {

Error usage(const std::string& message) {
    return make_error(ErrorKind::usage, message + " (see wildcert --help)");
}

// A unit file is line-based: a control character in a path cannot be written into one.
Result<void> check_writable(const std::string& what, const std::string& text) {
    for (const char c : text) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
            return usage(what + " contains a control character");
    }
    return {};
}

Result<std::filesystem::path> absolute_path(const std::filesystem::path& path) {
    std::error_code error;
    auto absolute = std::filesystem::absolute(path, error);
    if (error)
        return make_error(ErrorKind::io, path.string() + ": " + error.message());
    return absolute.lexically_normal();
}

Result<ScheduleSpec> make_spec(const Arguments& arguments) {
    ScheduleSpec spec;
    std::error_code error;
    // The running binary, so that the unit starts the same wildcert that wrote it.
    spec.binary = std::filesystem::read_symlink("/proc/self/exe", error);
    if (error)
        return make_error(ErrorKind::io, "cannot find the wildcert binary through "
                                         "/proc/self/exe: " +
                                             error.message());
    WILDCERT_CHECK(check_writable("the wildcert binary's path", spec.binary.string()));
    for (const auto& given : arguments.profiles) {
        WILDCERT_TRY(auto profile, absolute_path(given));
        // A typo here would only show at the first scheduled run, hours later.
        if (!std::filesystem::is_regular_file(profile, error))
            return usage("-c " + given.string() + ": no such profile (" + profile.string() + ")");
        WILDCERT_CHECK(check_writable("-c " + given.string(), profile.string()));
        spec.profiles.push_back(std::move(profile));
    }
    if (arguments.state_dir) {
        WILDCERT_TRY(auto state_dir, absolute_path(*arguments.state_dir));
        WILDCERT_CHECK(check_writable("--state-dir", state_dir.string()));
        spec.state_dir = std::move(state_dir);
    }
    for (const auto& name : arguments.certificates) {
        WILDCERT_CHECK(check_writable("--cert", name));
        spec.certificates.push_back(name);
    }
    return spec;
}

// A minute and hour chosen now, so that machines set up the same way ask the CA at
// different times.
CronTime random_cron_time() {
    std::random_device seed;
    std::mt19937 generator(seed());
    CronTime time;
    time.minute = std::uniform_int_distribution<int>(0, 59)(generator);
    time.hour = std::uniform_int_distribution<int>(0, 11)(generator);
    return time;
}

void print_units(const ScheduleSpec& spec) {
    const std::string dir(k_default_unit_dir);
    std::cout << "# ---- " << dir << "/" << k_service_name << "\n"
              << service_unit(spec) << "\n"
              << "# ---- " << dir << "/" << k_timer_name << "\n"
              << timer_unit() << "\n"
              << "# ---- install both with `wildcert schedule --install` (same options), then:\n"
              << "#   systemctl daemon-reload && systemctl enable --now " << k_timer_name << "\n"
              << "\n"
              << "# ---- without systemd: this line in root's crontab (crontab -e) runs the same\n"
              << "# twice a day, at a minute chosen at random now\n"
              << cron_line(spec, random_cron_time());
}

} // namespace

Result<void> check_schedule_arguments(const Arguments& parsed) {
    if (parsed.command != Command::schedule) {
        if (parsed.install || parsed.unit_dir)
            return usage("--install and --unit-dir belong to `schedule`");
        return {};
    }
    if (parsed.profiles.empty())
        return usage("schedule needs at least one profile: -c PROFILE");
    if (parsed.unit_dir && !parsed.install)
        return usage("--unit-dir goes with --install");
    return {};
}

int run_schedule(const Arguments& arguments) {
    auto spec = make_spec(arguments);
    if (!spec) {
        std::cerr << "wildcert: error: " << spec.error().message << '\n';
        return exit_code_for(spec.error());
    }
    if (!arguments.install) {
        print_units(*spec);
        return k_exit_ok;
    }
    const auto unit_dir = arguments.unit_dir.value_or(std::filesystem::path(k_default_unit_dir));
    const auto written = install_units(unit_dir, *spec);
    if (!written) {
        std::cerr << "wildcert: error: " << written.error().message << '\n';
        return exit_code_for(written.error());
    }
    for (const auto& path : *written)
        std::cout << "wrote " << path.string() << '\n';
    std::cout << "now run: systemctl daemon-reload && systemctl enable --now " << k_timer_name
              << '\n';
    return k_exit_ok;
}

} // namespace wildcert::cli
