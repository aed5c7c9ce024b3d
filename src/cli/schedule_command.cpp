#include "cli/schedule_command.hpp"

#include "cli/exit_codes.hpp"
#include "cli/schedule_units.hpp"
#include "common/regular_file.hpp"
#include "config/variable_references.hpp"

#include <algorithm>
#include <fcntl.h>
#include <iostream>
#include <random>
#include <set>
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

// A profile or environment file: the operator's own, so a symlink is fine; 1 MiB is far more
// than either holds.
Result<std::optional<std::string>> read_text_file(const std::filesystem::path& path) {
    auto text = read_regular_file(AT_FDCWD, path, 1024 * 1024, Symlinks::follow);
    if (!text)
        return make_error(ErrorKind::io, path.string() + ": " + text.error().message);
    return text;
}

// The ${VAR}s of a profile, or of each *.toml of a folder of profiles.
Result<void> add_variables(const std::filesystem::path& profile, std::set<std::string>& names) {
    std::vector<std::filesystem::path> files;
    std::error_code error;
    if (std::filesystem::is_directory(profile, error)) {
        for (const auto& entry : std::filesystem::directory_iterator(profile, error)) {
            if (entry.path().extension() == ".toml")
                files.push_back(entry.path());
        }
    } else {
        files.push_back(profile);
    }
    for (const auto& file : files) {
        WILDCERT_TRY(const auto text, read_text_file(file));
        for (auto& name : config::referenced_variables(text.value_or("")))
            names.insert(std::move(name));
    }
    return {};
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
        if (!std::filesystem::is_regular_file(profile, error) &&
            !std::filesystem::is_directory(profile, error))
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
    spec.unit_stem = unit_stem_for(spec.profiles, spec.certificates);
    std::set<std::string> variables;
    for (const auto& profile : spec.profiles)
        WILDCERT_CHECK(add_variables(profile, variables));
    spec.variables.assign(variables.begin(), variables.end());
    const auto env_file = arguments.env_file.value_or(std::filesystem::path(k_default_env_dir) /
                                                      (spec.unit_stem + ".env"));
    WILDCERT_TRY(spec.env_file, absolute_path(env_file));
    WILDCERT_CHECK(check_writable("--env-file", spec.env_file.string()));
    const auto log_file = arguments.log_file.value_or(std::filesystem::path(k_default_log_dir) /
                                                      (spec.unit_stem + ".log"));
    WILDCERT_TRY(spec.log_file, absolute_path(log_file));
    WILDCERT_CHECK(check_writable("--log-file", spec.log_file.string()));
    return spec;
}

// An environment file kept from an earlier --install may lack a variable a profile now reads.
void warn_about_unset_variables(const ScheduleSpec& spec) {
    const auto read = read_text_file(spec.env_file);
    if (!read || !*read)
        return;
    const auto& text = *read;
    for (const auto& name : spec.variables) {
        const bool set =
            text->starts_with(name + "=") || text->find("\n" + name + "=") != std::string::npos;
        if (!set)
            std::cerr << "wildcert: warning: " << spec.env_file.string() << " does not set " << name
                      << ", which the profiles read\n";
    }
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
    std::cout << "# ---- " << dir << "/" << service_name(spec) << "\n"
              << service_unit(spec) << "\n"
              << "# ---- " << dir << "/" << timer_name(spec) << "\n"
              << timer_unit(spec) << "\n"
              << "# ---- " << spec.env_file.string() << " (mode 0600; fill in the values)\n"
              << environment_file(spec) << "\n"
              << "# ---- install all three with `wildcert schedule --install` (same options),\n"
              << "# fill in the environment file, then:\n"
              << "#   systemctl daemon-reload && systemctl enable --now " << timer_name(spec)
              << "\n\n"
              << "# ---- without systemd: this line in root's crontab (crontab -e) runs the same\n"
              << "# twice a day, at a minute chosen at random now, and appends to "
              << spec.log_file.string() << "\n"
              << cron_line(spec, random_cron_time());
}

} // namespace

Result<void> check_schedule_arguments(const Arguments& parsed) {
    if (parsed.command != Command::schedule) {
        if (parsed.install || parsed.unit_dir || parsed.env_file || parsed.log_file)
            return usage("--install, --unit-dir, --env-file and --log-file belong to `schedule`");
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
    if (std::find(written->begin(), written->end(), spec->env_file) == written->end()) {
        std::cout << "kept " << spec->env_file.string() << " (its values stay as they are)\n";
        warn_about_unset_variables(*spec);
    } else if (!spec->variables.empty()) {
        std::cout << "fill in " << spec->env_file.string() << " (";
        for (std::size_t i = 0; i < spec->variables.size(); ++i)
            std::cout << (i == 0 ? "" : ", ") << spec->variables[i];
        std::cout << ")\n";
    }
    std::cout << "now run: systemctl daemon-reload && systemctl enable --now " << timer_name(*spec)
              << '\n';
    return k_exit_ok;
}

} // namespace wildcert::cli
