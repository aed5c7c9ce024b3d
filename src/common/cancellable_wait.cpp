#include "common/cancellable_wait.hpp"

#include <algorithm>
#include <thread>

namespace wildcert::common {

bool wait_for(std::chrono::milliseconds duration, const std::function<bool()>& cancelled) {
    using Clock = std::chrono::steady_clock;
    const auto until = Clock::now() + duration;
    while (true) {
        if (cancelled && cancelled())
            return false;
        const auto now = Clock::now();
        if (now >= until)
            return true;
        std::this_thread::sleep_for(std::min<Clock::duration>(k_wait_step, until - now));
    }
}

} // namespace wildcert::common
