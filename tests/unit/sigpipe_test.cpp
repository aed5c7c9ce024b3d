// http/sigpipe_guard.hpp: a write to a connection whose peer is gone fails with EPIPE inside
// an exchange instead of ending the process (SIGPIPE's default action), and the guard leaves
// the thread's signal mask and pending set as it found them. Without the guard the first
// test case kills the test binary.
#include "common/sigpipe_guard.hpp"

#include <doctest/doctest.h>

#include <cerrno>
#include <csignal>
#include <ctime>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

using wildcert::common::SigpipeBlocked;

namespace {

bool blocked_now() {
    sigset_t mask;
    pthread_sigmask(SIG_BLOCK, nullptr, &mask);
    return sigismember(&mask, SIGPIPE) == 1;
}

bool pending_now() {
    sigset_t pending;
    sigpending(&pending);
    return sigismember(&pending, SIGPIPE) == 1;
}

// A stream socket whose peer has closed: the next write raises SIGPIPE.
struct ClosedPeer {
    int fds[2] = {-1, -1};
    ClosedPeer() {
        REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
        ::close(fds[1]);
    }
    ~ClosedPeer() { ::close(fds[0]); }
    [[nodiscard]] int write_byte() const {
        errno = 0;
        return static_cast<int>(::write(fds[0], "x", 1));
    }
};

} // namespace

TEST_CASE("sigpipe guard: a write to a closed peer fails with EPIPE and the process lives on") {
    REQUIRE_FALSE(blocked_now());
    const ClosedPeer peer;
    {
        const SigpipeBlocked guard;
        CHECK(blocked_now());
        CHECK(peer.write_byte() == -1);
        CHECK(errno == EPIPE);
        CHECK(pending_now()); // raised, held back
    }
    // Taken back and unblocked: nothing is delivered later, the mask is as before.
    CHECK_FALSE(pending_now());
    CHECK_FALSE(blocked_now());
}

TEST_CASE("sigpipe guard: a caller that blocks SIGPIPE itself keeps its mask and its signal") {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGPIPE);
    REQUIRE(pthread_sigmask(SIG_BLOCK, &set, nullptr) == 0);
    const ClosedPeer peer;
    {
        const SigpipeBlocked guard;
        CHECK(peer.write_byte() == -1);
    }
    CHECK(blocked_now());
    CHECK(pending_now()); // the caller's to take
    const timespec now{0, 0};
    CHECK(sigtimedwait(&set, nullptr, &now) == SIGPIPE);
    REQUIRE(pthread_sigmask(SIG_UNBLOCK, &set, nullptr) == 0);
}
