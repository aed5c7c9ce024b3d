#include "common/sigpipe_guard.hpp"

#include <ctime>
#include <pthread.h>

namespace wildcert::common {
namespace {

sigset_t only_sigpipe() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGPIPE);
    return set;
}

bool sigpipe_pending() {
    sigset_t pending;
    sigemptyset(&pending);
    return sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE) == 1;
}

} // namespace

SigpipeBlocked::SigpipeBlocked() {
    const sigset_t set = only_sigpipe();
    pthread_sigmask(SIG_BLOCK, &set, &m_previous);
    m_was_blocked = sigismember(&m_previous, SIGPIPE) == 1;
}

SigpipeBlocked::~SigpipeBlocked() {
    if (m_was_blocked)
        return; // the caller blocks it and takes what is pending itself
    // Unblocked before, so whatever is pending now was raised while we blocked it: by a write
    // of this exchange. Taken without waiting, so unblocking below does not deliver it.
    if (sigpipe_pending()) {
        const sigset_t set = only_sigpipe();
        const timespec now{0, 0};
        (void)sigtimedwait(&set, nullptr, &now);
    }
    pthread_sigmask(SIG_SETMASK, &m_previous, nullptr);
}

} // namespace wildcert::common
