#include "cli/arguments.hpp"
#include "cli/command_table.hpp"
#include "cli/exit_codes.hpp"
#include "wildcert_version.h"

#include <cstdlib>
#include <exception>
#include <iostream>
#include <string_view>
#include <sys/prctl.h>
#include <sys/resource.h>

namespace {

// A core dump of a crash holds the process's memory: the TSIG secret, API tokens, the EAB key
// and private keys in clear, written wherever the system keeps cores (often readable by more
// people than the state directory). No core then, unless WILDCERT_ALLOW_CORE=1 asks for one
// to debug. RLIMIT_CORE 0 stops the kernel writing a file; PR_SET_DUMPABLE 0 also stops a
// core_pattern pipe (systemd-coredump, apport), which ignores the limit, and attaching a
// debugger without CAP_SYS_PTRACE. Programs wildcert starts (hooks, exec providers) inherit
// the soft limit only; exec resets their dumpable flag.
void forbid_core_dumps() {
    const char* allow = std::getenv("WILDCERT_ALLOW_CORE");
    if (allow != nullptr && std::string_view(allow) == "1")
        return;
    struct rlimit limit {};
    if (::getrlimit(RLIMIT_CORE, &limit) == 0) {
        limit.rlim_cur = 0;
        (void)::setrlimit(RLIMIT_CORE, &limit);
    }
    (void)::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

} // namespace

int main(int argc, char** argv) {
    using namespace wildcert::cli;
    forbid_core_dumps(); // before any secret is read
    try {
        const std::vector<std::string> args(argv + 1, argv + argc);
        auto parsed = parse_arguments(args);
        if (!parsed.ok()) {
            std::cerr << "wildcert: error: " << parsed.error().message << '\n';
            return k_exit_usage;
        }
        if (parsed->command == Command::version) {
            std::cout << "wildcert " << WILDCERT_VERSION << '\n';
            return k_exit_ok;
        }
        return command_spec(parsed->command).run(*parsed);
    } catch (const std::exception& error) {
        // Last resort: every library call returns Result; reaching this is a bug.
        std::cerr << "wildcert: error: unexpected failure: " << error.what() << '\n';
    }
    return k_exit_failed;
}
