#include "deployers/command/command_hooks.hpp"

#include "deployers/command/command_environment.hpp"
#include "process/child_process.hpp"
#include "process/output_tail.hpp"
#include "process/program_path.hpp"
#include "process/secret_redaction.hpp"

#include <cstring>
#include <span>

namespace wildcert::deployers {
namespace {

using Clock = std::chrono::steady_clock;
using process::ChildOutcome;

// After its timeout a command gets SIGTERM, and SIGKILL this much later.
constexpr std::chrono::seconds k_kill_grace{5};
// The part of each output stream that goes into the one-line outcome.
constexpr std::size_t k_report_output_bytes = 500;
// The part of each output stream that goes into the debug log.
constexpr std::size_t k_log_output_bytes = 4096;

std::string shown_command(const DeploySettings& hook) {
    if (!hook.shown.empty())
        return hook.shown;
    std::string out;
    for (const auto& word : hook.command)
        out += (out.empty() ? "" : " ") + word;
    return out;
}

// "60s", "1500ms": the timeout as the profile would spell it.
std::string duration_text(std::chrono::milliseconds duration) {
    if (duration.count() % 1000 == 0)
        return std::to_string(duration.count() / 1000) + "s";
    return std::to_string(duration.count()) + "ms";
}

std::string seconds_text(std::chrono::milliseconds duration) {
    const auto tenths = (duration.count() + 50) / 100;
    return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + "s";
}

std::string signal_text(int signal) {
    const char* name = ::strsignal(signal);
    return "signal " + std::to_string(signal) +
           (name != nullptr ? " (" + std::string(name) + ")" : "");
}

std::string stopped_text(const ChildOutcome& child) {
    return std::string("stopped with SIGTERM") +
           (child.killed ? ", then SIGKILL " + duration_text(k_kill_grace) + " later" : "");
}

std::string failure_text(const ChildOutcome& child, const DeploySettings& hook) {
    switch (child.end) {
    case ChildOutcome::End::exited:
        return child.code == 0 ? "" : "exited with status " + std::to_string(child.code);
    case ChildOutcome::End::signaled:
        return "killed by " + signal_text(child.code);
    case ChildOutcome::End::timed_out:
        return "timed out after " + duration_text(hook.timeout) + " (" + stopped_text(child) + ")";
    case ChildOutcome::End::cancelled:
        return "interrupted (" + stopped_text(child) + ")";
    }
    return "ended in an unknown way";
}

// The caller's environment may hold credentials (a DNS provider's token); a hook that echoes
// its environment must not carry them into our report or log.
std::string cleaned(const std::string& output, std::span<const std::string> inherited,
                    std::size_t bytes) {
    return process::last_lines(process::redact_secrets(output, inherited), bytes);
}

std::string output_summary(const ChildOutcome& child, std::span<const std::string> inherited) {
    const auto out = cleaned(child.stdout_tail, inherited, k_report_output_bytes);
    const auto err = cleaned(child.stderr_tail, inherited, k_report_output_bytes);
    if (out.empty() || err.empty())
        return out + err;
    return out + " | " + err;
}

void log_line(const LogSink& log, LogLevel level, const std::string& text) {
    if (log)
        log(level, text);
}

void log_output(const LogSink& log, const std::string& label, const ChildOutcome& child,
                std::span<const std::string> inherited) {
    if (!log)
        return;
    for (const auto& [stream, tail] :
         {std::pair{"stdout", &child.stdout_tail}, std::pair{"stderr", &child.stderr_tail}}) {
        const auto text = cleaned(*tail, inherited, k_log_output_bytes);
        if (!text.empty())
            log(LogLevel::debug, label + ": " + stream + ": " + text);
    }
}

// The program to start: a path as the profile gave it, or a bare name looked up in PATH now
// (not when the profile was loaded: the PATH of a cron job or a unit is the one that counts).
Result<std::filesystem::path> locate(const std::string& program) {
    if (program.find('/') != std::string::npos)
        return std::filesystem::path(program);
    const auto search_path = process::current_search_path();
    if (auto found = process::find_in_path(program, search_path))
        return *found;
    return make_error(ErrorKind::io,
                      "cannot start: " + program + " not found in PATH (" + search_path + ")");
}

HookOutcome run_hook(const DeploySettings& hook, const std::vector<std::string>& environment,
                     std::span<const std::string> inherited, const LogSink& log,
                     const std::string& label, const std::function<bool()>& cancelled) {
    HookOutcome outcome;
    outcome.command = shown_command(hook);
    const auto start = Clock::now();
    const auto finish = [&](std::string failure) {
        outcome.failure = std::move(failure);
        outcome.ok = outcome.failure.empty();
        outcome.elapsed =
            std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
        return outcome;
    };
    auto program = locate(hook.command.front());
    if (!program)
        return finish(program.error().message);
    process::ChildLimits limits;
    limits.timeout = hook.timeout;
    limits.kill_grace = k_kill_grace;
    limits.cancelled = cancelled;
    const std::span<const std::string> arguments(hook.command.begin() + 1, hook.command.end());
    const auto child = process::run_child(*program, arguments, environment, limits);
    if (!child)
        return finish(child.error().message);
    log_output(log, label, *child, inherited);
    outcome.output_tail = output_summary(*child, inherited);
    return finish(failure_text(*child, hook));
}

std::string outcome_text(const HookOutcome& outcome) {
    if (outcome.ok)
        return "done in " + seconds_text(outcome.elapsed);
    std::string text = "failed after " + seconds_text(outcome.elapsed) + ": " + outcome.failure;
    if (!outcome.output_tail.empty())
        text += ": " + outcome.output_tail;
    return text;
}

} // namespace

std::vector<HookOutcome> run_deploy_hooks(const std::vector<DeploySettings>& hooks,
                                          const DeployContext& context, const LogSink& log,
                                          const std::function<bool()>& cancelled) {
    std::vector<HookOutcome> outcomes;
    const auto inherited = process::inherited_environment();
    const auto environment = deploy_environment(context, inherited);
    for (std::size_t i = 0; i < hooks.size(); ++i) {
        const std::string label = "deploy " + context.name + " [" + std::to_string(i + 1) + "/" +
                                  std::to_string(hooks.size()) + "] " + shown_command(hooks[i]);
        if (cancelled && cancelled()) {
            // Reported as a failure so the caller keeps the deploy pending for the next run.
            HookOutcome skipped;
            skipped.command = shown_command(hooks[i]);
            skipped.failure = "not started: interrupted";
            log_line(log, LogLevel::info, label + ": " + skipped.failure);
            outcomes.push_back(std::move(skipped));
            break;
        }
        log_line(log, LogLevel::debug, label + ": starting");
        auto outcome = run_hook(hooks[i], environment, inherited, log, label, cancelled);
        log_line(log, LogLevel::info, label + ": " + outcome_text(outcome));
        const bool ok = outcome.ok;
        outcomes.push_back(std::move(outcome));
        if (!ok)
            break; // the later hooks may depend on this one (copy, then reload)
    }
    return outcomes;
}

} // namespace wildcert::deployers
