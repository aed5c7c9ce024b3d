#include "process/child_process.hpp"

#include "common/sigpipe_guard.hpp"
#include "process/output_tail.hpp"
#include "process/unique_fd.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <memory>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace wildcert::process {
namespace {

using Clock = std::chrono::steady_clock;

// How often the child's state is checked while it writes nothing.
constexpr std::chrono::milliseconds k_poll_step{50};
// A child that exited may have left a background process holding our pipes; we read what is
// already there and stop waiting for end-of-file after this long.
constexpr std::chrono::milliseconds k_drain_after_exit{500};

Error system_error(const std::string& what, int error_number) {
    return make_error(ErrorKind::io, what + ": " + std::strerror(error_number));
}

struct Pipe {
    UniqueFd read;
    UniqueFd write;
};

// Both ends close-on-exec: the child gets only the copies dup2 puts on fds 1 and 2.
Result<Pipe> make_pipe() {
    std::array<int, 2> fds{-1, -1};
    if (::pipe2(fds.data(), O_CLOEXEC) != 0)
        return system_error("pipe", errno);
    return Pipe{UniqueFd(fds[0]), UniqueFd(fds[1])};
}

struct FileActionsDeleter {
    void operator()(posix_spawn_file_actions_t* actions) const {
        posix_spawn_file_actions_destroy(actions);
        delete actions;
    }
};
struct SpawnAttrDeleter {
    void operator()(posix_spawnattr_t* attr) const {
        posix_spawnattr_destroy(attr);
        delete attr;
    }
};
using FileActions = std::unique_ptr<posix_spawn_file_actions_t, FileActionsDeleter>;
using SpawnAttr = std::unique_ptr<posix_spawnattr_t, SpawnAttrDeleter>;

// `stdin_fd` -1: /dev/null.
Result<FileActions> make_file_actions(int stdin_fd, int stdout_fd, int stderr_fd) {
    auto raw = std::make_unique<posix_spawn_file_actions_t>();
    if (const int rc = posix_spawn_file_actions_init(raw.get()); rc != 0)
        return system_error("posix_spawn_file_actions_init", rc);
    FileActions actions(raw.release());
    int rc = stdin_fd >= 0 ? posix_spawn_file_actions_adddup2(actions.get(), stdin_fd, STDIN_FILENO)
                           : posix_spawn_file_actions_addopen(actions.get(), STDIN_FILENO,
                                                              "/dev/null", O_RDONLY, 0);
    if (rc == 0)
        rc = posix_spawn_file_actions_adddup2(actions.get(), stdout_fd, STDOUT_FILENO);
    if (rc == 0)
        rc = posix_spawn_file_actions_adddup2(actions.get(), stderr_fd, STDERR_FILENO);
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
    // Descriptors of ours that lack O_CLOEXEC (a library's socket) stay out of the hook.
    if (rc == 0)
        rc = posix_spawn_file_actions_addclosefrom_np(actions.get(), STDERR_FILENO + 1);
#endif
    if (rc != 0)
        return system_error("posix_spawn file actions", rc);
    return actions;
}

// Own process group (so a timeout reaches grandchildren), no blocked signals, and the signals
// a parent commonly ignores or catches back at their defaults.
Result<SpawnAttr> make_spawn_attr() {
    auto raw = std::make_unique<posix_spawnattr_t>();
    if (const int rc = posix_spawnattr_init(raw.get()); rc != 0)
        return system_error("posix_spawnattr_init", rc);
    SpawnAttr attr(raw.release());
    sigset_t none;
    sigset_t defaults;
    sigemptyset(&none);
    sigemptyset(&defaults);
    for (const int signal : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD, SIGALRM})
        sigaddset(&defaults, signal);
    int rc = posix_spawnattr_setflags(attr.get(), POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
                                                      POSIX_SPAWN_SETSIGDEF);
    if (rc == 0)
        rc = posix_spawnattr_setpgroup(attr.get(), 0);
    if (rc == 0)
        rc = posix_spawnattr_setsigmask(attr.get(), &none);
    if (rc == 0)
        rc = posix_spawnattr_setsigdefault(attr.get(), &defaults);
    if (rc != 0)
        return system_error("posix_spawn attributes", rc);
    return attr;
}

std::vector<char*> c_strings(std::span<const std::string> strings) {
    std::vector<char*> pointers;
    pointers.reserve(strings.size() + 1);
    for (const auto& text : strings)
        pointers.push_back(const_cast<char*>(text.c_str()));
    pointers.push_back(nullptr);
    return pointers;
}

// The child's two output pipes, read as data arrives so that neither fills up and blocks it.
class OutputReader {
public:
    OutputReader(UniqueFd out, UniqueFd err, std::size_t capacity)
        : m_out(std::move(out)), m_err(std::move(err)), m_out_tail(capacity), m_err_tail(capacity) {
    }

    [[nodiscard]] bool open() const { return m_out.is_open() || m_err.is_open(); }

    // Waits up to `wait` for output and reads what came.
    void pump(std::chrono::milliseconds wait) {
        std::array<pollfd, 2> fds{};
        nfds_t count = 0;
        if (m_out.is_open())
            fds[count++] = pollfd{m_out.get(), POLLIN, 0};
        if (m_err.is_open())
            fds[count++] = pollfd{m_err.get(), POLLIN, 0};
        const int ready = ::poll(fds.data(), count, static_cast<int>(wait.count()));
        if (ready <= 0)
            return; // timeout, or EINTR from a signal: the caller's loop checks the clock
        for (nfds_t i = 0; i < count; ++i) {
            if (fds[i].revents == 0)
                continue;
            if (fds[i].fd == m_out.get())
                read_from(m_out, m_out_tail);
            else
                read_from(m_err, m_err_tail);
        }
    }

    [[nodiscard]] std::string stdout_text() const { return m_out_tail.text(); }
    [[nodiscard]] std::string stderr_text() const { return m_err_tail.text(); }

private:
    static void read_from(UniqueFd& fd, OutputTail& tail) {
        std::array<char, 4096> buffer{};
        const ssize_t got = ::read(fd.get(), buffer.data(), buffer.size());
        if (got > 0)
            tail.append(std::string_view(buffer.data(), static_cast<std::size_t>(got)));
        else if (got == 0 || (errno != EINTR && errno != EAGAIN))
            fd.reset();
    }

    UniqueFd m_out;
    UniqueFd m_err;
    OutputTail m_out_tail;
    OutputTail m_err_tail;
};

// The child's stdin, fed without blocking: what the pipe takes now, the rest as the child
// reads. A child that exits or closes stdin early ends the feeding (EPIPE, SIGPIPE taken back).
class InputWriter {
public:
    InputWriter(UniqueFd fd, std::string_view input) : m_fd(std::move(fd)), m_rest(input) {
        if (m_fd.is_open())
            (void)::fcntl(m_fd.get(), F_SETFL, ::fcntl(m_fd.get(), F_GETFL) | O_NONBLOCK);
        feed();
    }

    void feed() {
        if (!m_fd.is_open())
            return;
        const common::SigpipeBlocked no_sigpipe;
        while (!m_rest.empty()) {
            const ssize_t wrote = ::write(m_fd.get(), m_rest.data(), m_rest.size());
            if (wrote > 0) {
                m_rest.remove_prefix(static_cast<std::size_t>(wrote));
                continue;
            }
            if (wrote < 0 && errno == EINTR)
                continue;
            if (wrote < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
                return;
            break; // EPIPE: the child no longer reads
        }
        m_fd.reset(); // end of input
    }

private:
    UniqueFd m_fd;
    std::string_view m_rest;
};

std::chrono::milliseconds until(Clock::time_point when) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(when - Clock::now());
    return std::clamp(left, std::chrono::milliseconds(0), k_poll_step);
}

// Owns a started child until it is reaped: leaving scope early (an exception) still kills
// and reaps it, so no zombie or runaway hook outlives the run.
class ChildGuard {
public:
    explicit ChildGuard(pid_t pid) : m_pid(pid) {}
    ChildGuard(const ChildGuard&) = delete;
    ChildGuard& operator=(const ChildGuard&) = delete;
    ~ChildGuard() {
        if (m_pid > 0) {
            ::kill(-m_pid, SIGKILL);
            int status = 0;
            while (::waitpid(m_pid, &status, 0) < 0 && errno == EINTR) {
            }
        }
    }

    // Signals the whole process group the child leads.
    void signal_group(int signal) const { ::kill(-m_pid, signal); }

    // Non-blocking; true once the child has ended, with its wait status.
    [[nodiscard]] bool reaped(int& status) {
        if (m_pid <= 0)
            return true;
        const pid_t done = ::waitpid(m_pid, &status, WNOHANG);
        if (done == m_pid || (done < 0 && errno == ECHILD)) {
            m_group = m_pid;
            m_pid = -1;
            return true;
        }
        return false;
    }

    // The group id, still usable after the leader was reaped (to stop what it left running).
    [[nodiscard]] pid_t group() const { return m_pid > 0 ? m_pid : m_group; }

private:
    pid_t m_pid;
    pid_t m_group = -1;
};

} // namespace

Result<ChildOutcome> run_child(const std::filesystem::path& program,
                               std::span<const std::string> arguments,
                               std::span<const std::string> environment, const ChildLimits& limits,
                               std::string_view input) {
    WILDCERT_TRY(Pipe out, make_pipe());
    WILDCERT_TRY(Pipe err, make_pipe());
    Pipe in;
    if (!input.empty()) {
        WILDCERT_TRY(in, make_pipe());
    }
    WILDCERT_TRY(const FileActions actions,
                 make_file_actions(in.read.is_open() ? in.read.get() : -1, out.write.get(),
                                   err.write.get()));
    WILDCERT_TRY(const SpawnAttr attr, make_spawn_attr());

    std::vector<std::string> argv_strings;
    argv_strings.reserve(arguments.size() + 1);
    argv_strings.push_back(program.string());
    argv_strings.insert(argv_strings.end(), arguments.begin(), arguments.end());
    auto argv = c_strings(argv_strings);
    auto envp = c_strings(environment);

    pid_t pid = -1;
    // glibc reports a failed exec (ENOENT, EACCES, ENOEXEC) as posix_spawn's own result.
    if (const int rc = ::posix_spawn(&pid, program.c_str(), actions.get(), attr.get(), argv.data(),
                                     envp.data());
        rc != 0)
        return make_error(ErrorKind::io, std::string("cannot start: ") + std::strerror(rc));
    ChildGuard child(pid);
    // Our copies of the write ends must go, or end-of-file never comes.
    out.write.reset();
    err.write.reset();
    in.read.reset();
    InputWriter writer(std::move(in.write), input);

    OutputReader reader(std::move(out.read), std::move(err.read), limits.output_bytes);
    const auto deadline = Clock::now() + limits.timeout;
    Clock::time_point kill_at{};
    bool timed_out = false;
    bool cancelled = false;
    bool killed = false;
    int status = 0;
    while (!child.reaped(status)) {
        const auto now = Clock::now();
        if (!timed_out && (now >= deadline || (limits.cancelled && limits.cancelled()))) {
            child.signal_group(SIGTERM);
            timed_out = true;
            cancelled = now < deadline;
            kill_at = now + limits.kill_grace;
        } else if (timed_out && !killed && now >= kill_at) {
            child.signal_group(SIGKILL);
            killed = true;
        }
        // With both pipes closed this only sleeps, which is what waiting for the exit needs.
        const auto next = !timed_out ? deadline : !killed ? kill_at : now + k_poll_step;
        reader.pump(until(next));
        writer.feed();
    }
    if (timed_out)
        ::kill(-child.group(), SIGKILL); // whatever it started must not outlive the timeout

    const auto drain_until = Clock::now() + k_drain_after_exit;
    while (reader.open() && Clock::now() < drain_until)
        reader.pump(until(drain_until));

    ChildOutcome outcome;
    outcome.stdout_tail = reader.stdout_text();
    outcome.stderr_tail = reader.stderr_text();
    if (timed_out) {
        outcome.end = cancelled ? ChildOutcome::End::cancelled : ChildOutcome::End::timed_out;
        outcome.killed = killed;
        outcome.code = WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        outcome.end = ChildOutcome::End::signaled;
        outcome.code = WTERMSIG(status);
    } else {
        outcome.end = ChildOutcome::End::exited;
        outcome.code = WEXITSTATUS(status);
    }
    return outcome;
}

std::vector<std::string> inherited_environment() {
    std::vector<std::string> environment;
    for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry)
        environment.emplace_back(*entry);
    return environment;
}

} // namespace wildcert::process
