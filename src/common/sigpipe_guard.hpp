#pragma once
// OpenSSL writes to its socket with write(2), not send(MSG_NOSIGNAL), and a child's stdin is a
// pipe: when the peer has closed it (a CA under load, a proxy's idle timeout, an ssh that
// exited), the write raises SIGPIPE in the writing thread, and its default action ends the
// whole process at once, before the run removes its TXT records. A library must not change
// the process's signal dispositions, so each such write blocks SIGPIPE in its own thread
// instead: the write fails with EPIPE, and the SIGPIPE it left pending is taken back.

#include <csignal>

namespace wildcert::common {

class SigpipeBlocked {
public:
    SigpipeBlocked();
    ~SigpipeBlocked();
    SigpipeBlocked(const SigpipeBlocked&) = delete;
    SigpipeBlocked& operator=(const SigpipeBlocked&) = delete;

private:
    sigset_t m_previous{};
    bool m_was_blocked = false; // by the caller: then it is the caller's to take
};

} // namespace wildcert::common
