#include "providers/exec/exec_provider.hpp"

#include "config/duration.hpp"
#include "process/child_process.hpp"
#include "process/output_tail.hpp"
#include "process/secret_redaction.hpp"

#include <array>
#include <cstring>
#include <optional>
#include <string_view>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

extern char** environ;

namespace wildcert::providers::exec {
namespace {

using process::ChildLimits;
using process::ChildOutcome;
using process::last_lines;
using process::redact_secrets;
using process::run_child;

constexpr std::string_view k_name = "exec";
// A hook that needs more than an hour is stuck, not slow.
constexpr std::chrono::milliseconds k_max_timeout = std::chrono::hours(1);
constexpr std::chrono::seconds k_kill_grace{5};
// The part of a hook's stderr that goes into the one-line error.
constexpr std::size_t k_error_output_bytes = 500;

constexpr std::array<SettingDescriptor, 2> k_settings{{
    {"command", "WILDCERT_EXEC_COMMAND", SettingType::string, "", true, false,
     "path of the program run as `COMMAND add|remove FQDN VALUE` once per record, with "
     "WILDCERT_ACTION, WILDCERT_FQDN (absolute, trailing dot), WILDCERT_VALUE, WILDCERT_ZONE and "
     "WILDCERT_TTL in its environment and stdin from /dev/null. No shell and no extra arguments; "
     "a relative path is taken from the profile's folder. Exit status 0 means done; add must keep "
     "the other values at the name, and removing a value that is already gone must exit 0."},
    {"timeout", "WILDCERT_EXEC_TIMEOUT", SettingType::duration, "60s", false, false,
     "how long one run of the program may take; then SIGTERM, and SIGKILL 5 seconds later"},
}};

// The variables of the interface (exec_provider.hpp); inherited ones of the same name are
// replaced, never passed twice.
constexpr std::array<std::string_view, 5> k_interface_variables{
    "WILDCERT_ACTION", "WILDCERT_FQDN", "WILDCERT_VALUE", "WILDCERT_ZONE", "WILDCERT_TTL",
};

std::string absolute_name(std::string_view name) {
    std::string out(name);
    if (out.empty() || out.back() != '.')
        out.push_back('.');
    return out;
}

bool is_interface_variable(std::string_view entry) {
    const auto name = entry.substr(0, entry.find('='));
    for (const auto variable : k_interface_variables) {
        if (name == variable)
            return true;
    }
    return false;
}

std::vector<std::string> hook_environment(std::string_view action, const TxtRecord& record) {
    std::vector<std::string> environment;
    for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
        if (!is_interface_variable(*entry))
            environment.emplace_back(*entry);
    }
    environment.push_back("WILDCERT_ACTION=" + std::string(action));
    environment.push_back("WILDCERT_FQDN=" + absolute_name(record.fqdn));
    environment.push_back("WILDCERT_VALUE=" + record.value);
    environment.push_back("WILDCERT_ZONE=" + absolute_name(record.zone));
    environment.push_back("WILDCERT_TTL=" + std::to_string(record.ttl.count()));
    return environment;
}

std::string signal_text(int signal) {
    const char* name = ::strsignal(signal);
    return "signal " + std::to_string(signal) +
           (name != nullptr ? " (" + std::string(name) + ")" : "");
}

// The hook's own words: stderr's last lines, else stdout's (some scripts report there).
std::string hook_output(const ChildOutcome& outcome, std::span<const std::string> environment) {
    auto text = last_lines(redact_secrets(outcome.stderr_tail, environment), k_error_output_bytes);
    if (!text.empty())
        return text;
    text = last_lines(redact_secrets(outcome.stdout_tail, environment), k_error_output_bytes);
    return text.empty() ? "no output" : "stdout: " + text;
}

class ExecProvider final : public DnsProvider {
public:
    ExecProvider(std::filesystem::path command, std::chrono::milliseconds timeout)
        : m_command(std::move(command)), m_timeout(timeout) {}

    // One run per record, in order; the first failure stops the batch (the core removes what
    // was journaled, and removing a value never added is success for the hook).
    Result<void> add(std::span<const TxtRecord> records) override {
        for (const auto& record : records)
            WILDCERT_CHECK(run("add", record));
        return {};
    }

    // Every record gets its removal even when an earlier one failed: one broken value must not
    // leave the others behind. The first failure is reported.
    Result<void> remove(std::span<const TxtRecord> records) override {
        std::optional<Error> first;
        std::size_t failed = 0;
        for (const auto& record : records) {
            if (auto done = run("remove", record); !done) {
                ++failed;
                if (!first)
                    first = done.error();
            }
        }
        if (!first)
            return {};
        if (failed > 1)
            first->message += " (and " + std::to_string(failed - 1) + " more removal" +
                              (failed > 2 ? "s" : "") + " failed)";
        return *first;
    }

private:
    Result<void> run(std::string_view action, const TxtRecord& record) const {
        const auto fqdn = absolute_name(record.fqdn);
        const std::string context = std::string(k_name) + ": " + m_command.string() + " " +
                                    std::string(action) + " " + fqdn;
        const auto environment = hook_environment(action, record);
        const std::array<std::string, 3> arguments{std::string(action), fqdn, record.value};
        ChildLimits limits;
        limits.timeout = m_timeout;
        limits.kill_grace = k_kill_grace;
        auto outcome = run_child(m_command, arguments, environment, limits);
        if (!outcome)
            return make_error(ErrorKind::provider, context + ": " + outcome.error().message);
        switch (outcome->end) {
        case ChildOutcome::End::exited:
            if (outcome->code == 0)
                return {};
            return make_error(ErrorKind::provider, context + ": exit status " +
                                                       std::to_string(outcome->code) + ": " +
                                                       hook_output(*outcome, environment));
        case ChildOutcome::End::signaled:
            return make_error(ErrorKind::provider, context + ": killed by " +
                                                       signal_text(outcome->code) + ": " +
                                                       hook_output(*outcome, environment));
        case ChildOutcome::End::timed_out:
        case ChildOutcome::End::cancelled: // not asked for: ChildLimits::cancelled is unset
            return make_error(
                ErrorKind::timeout,
                context + ": timed out after " + config::format_duration(m_timeout) +
                    " (dns.exec.timeout); stopped with SIGTERM" +
                    (outcome->killed
                         ? ", then SIGKILL " + std::to_string(k_kill_grace.count()) + " s later"
                         : "") +
                    ": " + hook_output(*outcome, environment));
        }
        return make_error(ErrorKind::provider, context + ": ended in an unknown way");
    }

    std::filesystem::path m_command;
    std::chrono::milliseconds m_timeout;
};

// "path/profile.toml:12" -> "path"; the folder relative commands are taken from.
std::filesystem::path profile_folder(const ProviderConfig& config) {
    const auto found = config.settings.find("command");
    if (found == config.settings.end())
        return {}; // from the environment: the working directory
    std::string origin = found->second.origin;
    if (const auto colon = origin.rfind(':'); colon != std::string::npos)
        origin.erase(colon);
    return std::filesystem::path(origin).parent_path();
}

Result<std::filesystem::path> resolve_command(const Settings& settings,
                                              const ProviderConfig& config) {
    const auto text = settings.string("command").value_or("");
    if (text.empty())
        return settings.error("command", "must not be empty");
    std::filesystem::path path(text);
    if (path.is_relative())
        path = profile_folder(config) / path;
    // Absolute, so that the error and every run name the same file whatever the working
    // directory.
    std::error_code ignored;
    if (auto absolute = std::filesystem::absolute(path, ignored); !ignored)
        path = std::move(absolute);
    path = path.lexically_normal();
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) {
        const int error_number = errno;
        return settings.error("command",
                              path.string() + ": " + std::strerror(error_number) +
                                  " (an executable's path is expected; no PATH search is done)");
    }
    if (!S_ISREG(info.st_mode))
        return settings.error("command", path.string() + ": not a regular file");
    if (::access(path.c_str(), X_OK) != 0) {
        const int error_number = errno;
        return settings.error("command",
                              path.string() + ": not executable: " + std::strerror(error_number));
    }
    return path;
}

Result<std::unique_ptr<DnsProvider>> create(const ProviderDescriptor& descriptor,
                                            const ProviderConfig& config, const ProviderContext&) {
    WILDCERT_TRY(auto settings, Settings::resolve(descriptor, config));
    WILDCERT_TRY(auto command, resolve_command(settings, config));
    const auto timeout = settings.duration("timeout").value_or(std::chrono::seconds(60));
    if (timeout < std::chrono::seconds(1) || timeout > k_max_timeout)
        return settings.error("timeout", "must be from 1s to 1h");
    return std::unique_ptr<DnsProvider>(
        std::make_unique<ExecProvider>(std::move(command), timeout));
}

} // namespace

const ProviderDescriptor k_descriptor{
    k_name,
    "runs a program of yours to add and remove each record (any other DNS host)",
    k_settings,
    &create,
};

} // namespace wildcert::providers::exec
