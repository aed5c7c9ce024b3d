#include "cli/signals.hpp"

#include <csignal>

namespace wildcert::cli {
namespace {

// The number of the first stop signal, 0 while none came.
volatile std::sig_atomic_t g_stop_signal = 0;

extern "C" void on_stop_signal(int signal_number) {
    if (g_stop_signal != 0) {
        std::signal(signal_number, SIG_DFL);
        std::raise(signal_number);
        return;
    }
    g_stop_signal = signal_number;
}

} // namespace

void install_stop_handlers() {
    struct sigaction action {};
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
}

bool stop_requested() {
    return g_stop_signal != 0;
}

int stop_exit_code() {
    return g_stop_signal == 0 ? 0 : 128 + static_cast<int>(g_stop_signal);
}

} // namespace wildcert::cli
