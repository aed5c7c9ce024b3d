#pragma once
// Runs job(i) for every i in [0, count) on up to `threads` threads (the calling one among
// them), split into contiguous ranges, and returns when all are done. For work that is only
// reads and only touches its own i's data: a renewal reading the state of a thousand
// certificates spends most of its time in system calls, which two cores do side by side.
// Counts below `k_parallel_minimum` run on the calling thread: starting threads costs more.

#include <cstddef>
#include <functional>

namespace wildcert {

inline constexpr std::size_t k_parallel_minimum = 64;

void parallel_for(std::size_t count, std::size_t threads,
                  const std::function<void(std::size_t)>& job);

// The threads worth using for such work here: the cores, at most four.
[[nodiscard]] std::size_t reading_threads();

} // namespace wildcert
