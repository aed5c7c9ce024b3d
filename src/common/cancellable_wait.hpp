#pragma once
// The one way wildcert waits: ACME retries and polls (acme_client.cpp, core/waiting.cpp), a
// lock held by another run (store/file_lock.cpp), the propagation loop (dns/propagation.cpp)
// and the providers' back-off (Cloudflare, Route 53). It sleeps in steps of at most
// k_wait_step, so a SIGINT or SIGTERM (`cancelled`) is seen within one step, and never longer
// than asked.

#include <chrono>
#include <functional>

namespace wildcert::common {

inline constexpr std::chrono::milliseconds k_wait_step{50};

// Waits `duration`; true when it passed, false as soon as `cancelled` (may be empty) says so.
// `cancelled` is asked before the first step, so a cancelled run does not wait at all.
[[nodiscard]] bool wait_for(std::chrono::milliseconds duration,
                            const std::function<bool()>& cancelled);

} // namespace wildcert::common
