#include "deployers/service/service_deployer.hpp"

#include "common/printable.hpp"
#include "process/child_process.hpp"
#include "process/program_path.hpp"
#include "process/secret_redaction.hpp"

#include <array>

namespace wildcert::deployers::service {
namespace {

constexpr std::array<SettingDescriptor, 3> k_settings{{
    {"unit", "", SettingType::string, "", false, false,
     "a systemd unit to reload (systemctl reload UNIT); or set reload"},
    {"reload", "", SettingType::string, "", false, false,
     "a command line run by /bin/sh -c instead (e.g. \"nginx -s reload\")"},
    {"timeout", "", SettingType::duration, "60s", false, false,
     "how long the reload may take before it is stopped"},
}};

struct Target {
    std::filesystem::path program;
    std::vector<std::string> arguments;
    std::string name;
    std::chrono::milliseconds timeout{60'000};
};

std::string tail_of(const std::string& text) {
    auto end = text.find_last_not_of("\n\r ");
    if (end == std::string::npos)
        return "";
    auto start = text.rfind('\n', end);
    start = start == std::string::npos ? 0 : start + 1;
    return common::printable(text.substr(start, end + 1 - start), 300);
}

class ServiceDeployer final : public Deployer {
public:
    ServiceDeployer(std::vector<Target> targets, DeployerContext context)
        : m_targets(std::move(targets)), m_context(std::move(context)) {}

    std::vector<std::string> targets() const override {
        std::vector<std::string> names;
        for (const auto& target : m_targets)
            names.push_back(target.name);
        return names;
    }

    Result<void> deploy(const DeployInput&, std::size_t index) override {
        const auto& target = m_targets.at(index);
        const auto environment = process::inherited_environment();
        process::ChildLimits limits;
        limits.timeout = target.timeout;
        limits.kill_grace = std::chrono::seconds(5);
        limits.cancelled = m_context.cancelled;
        auto outcome = process::run_child(target.program, target.arguments, environment, limits);
        if (!outcome.ok())
            return make_error(ErrorKind::io, target.name + ": " + outcome.error().message);
        using End = process::ChildOutcome::End;
        if (outcome->end == End::exited && outcome->code == 0)
            return {};
        const auto said = tail_of(process::redact_secrets(
            outcome->stderr_tail.empty() ? outcome->stdout_tail : outcome->stderr_tail,
            environment));
        std::string why;
        switch (outcome->end) {
        case End::exited:
            why = "exited with status " + std::to_string(outcome->code);
            break;
        case End::signaled:
            why = "killed by signal " + std::to_string(outcome->code);
            break;
        case End::timed_out:
            why = "timed out";
            break;
        case End::cancelled:
            why = "interrupted";
            break;
        }
        return make_error(ErrorKind::io,
                          target.name + ": " + why + (said.empty() ? "" : ": " + said));
    }

    Result<void> check_access(std::size_t index) override {
        if (m_targets.at(index).program.empty())
            return make_error(ErrorKind::io, m_targets[index].name + ": cannot be run");
        return {};
    }

private:
    std::vector<Target> m_targets;
    DeployerContext m_context;
};

Result<std::unique_ptr<Deployer>> create(const DeployerDescriptor&, const DeploySettings&,
                                         std::vector<Settings> resolved,
                                         const DeployerContext& context) {
    std::vector<Target> targets;
    for (const auto& settings : resolved) {
        Target target;
        const auto unit = settings.string("unit").value_or("");
        const auto reload = settings.string("reload").value_or("");
        if (unit.empty() == reload.empty())
            return settings.error(unit.empty() ? "unit" : "reload",
                                  "set exactly one of unit (systemctl reload UNIT) and reload "
                                  "(a command line)");
        if (!unit.empty()) {
            if (unit.front() == '-' || unit.find_first_of(" \t\n\r/") != std::string::npos)
                return settings.error("unit", "must be a systemd unit name");
            const auto systemctl =
                process::find_in_path("systemctl", process::current_search_path());
            target.program = systemctl.value_or("/usr/bin/systemctl");
            target.arguments = {"reload", unit};
            target.name = "systemctl reload " + unit;
        } else {
            target.program = "/bin/sh";
            target.arguments = {"-c", reload};
            target.name = reload;
        }
        target.timeout = settings.duration("timeout").value_or(target.timeout);
        if (target.timeout.count() <= 0)
            return settings.error("timeout", "must be more than 0");
        targets.push_back(std::move(target));
    }
    return std::unique_ptr<Deployer>(
        std::make_unique<ServiceDeployer>(std::move(targets), context));
}

} // namespace

const DeployerDescriptor k_descriptor{
    "service",
    "reloads a service on this host (systemctl reload UNIT, or a command line) so it reads the "
    "new files",
    k_settings,
    &create,
};

} // namespace wildcert::deployers::service
