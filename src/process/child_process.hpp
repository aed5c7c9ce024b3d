#pragma once
// Runs one program to completion with a time limit, without a shell, and keeps the end of what
// it wrote. POSIX only (posix_spawn, poll, process groups).

#include <wildcert/result.hpp>

#include <chrono>
#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace wildcert::process {

struct ChildLimits {
    std::chrono::milliseconds timeout{std::chrono::seconds(60)};
    // After the timeout the process group gets SIGTERM; whatever still runs this much later
    // gets SIGKILL. So a run takes at most timeout + kill_grace (+ a little to reap it).
    std::chrono::milliseconds kill_grace{std::chrono::seconds(5)};
    // Each of stdout and stderr keeps at most this many bytes (the end).
    std::size_t output_bytes = 4096;
    // Polled while the child runs (may be empty): true stops it as a timeout would, so that
    // SIGINT reaches a child that, leading its own process group, the terminal's does not.
    std::function<bool()> cancelled;
};

struct ChildOutcome {
    enum class End {
        exited,    // `code` is the exit status
        signaled,  // `code` is the signal that ended it (not one we sent)
        timed_out, // we stopped it; `killed` says whether SIGTERM was not enough
        cancelled, // we stopped it because `cancelled` said so; `killed` as for timed_out
    };
    End end = End::exited;
    int code = 0;
    bool killed = false;
    std::string stdout_tail;
    std::string stderr_tail;
};

// Runs `program` (an exact path; no PATH search, no shell) with `arguments` after argv[0] and
// exactly `environment` ("NAME=value" entries). stdin is `input` through a pipe, closed once
// written (the child may stop reading early), or /dev/null when `input` is empty. The child leads
// its own process group, so a timeout also stops what it started. An error means it could not be
// started at all (ErrorKind::io: missing file, no permission, not an executable format); how
// it ended is in the outcome.
[[nodiscard]] Result<ChildOutcome> run_child(const std::filesystem::path& program,
                                             std::span<const std::string> arguments,
                                             std::span<const std::string> environment,
                                             const ChildLimits& limits,
                                             std::string_view input = {});

// This process's environment as "NAME=value" entries, for a child that inherits it.
[[nodiscard]] std::vector<std::string> inherited_environment();

} // namespace wildcert::process
