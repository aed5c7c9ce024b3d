#pragma once
// Runs job(i) for every i in [0, count) on up to `threads` threads (the calling one among
// them), split into contiguous ranges, and returns when all are done. For work whose jobs
// touch only their own i's data: a renewal reading the state of a thousand certificates
// spends most of its time in system calls, which two cores do side by side. A job must not
// throw (a helper thread would end the program).

#include <cstddef>
#include <functional>

namespace wildcert {

void parallel_for(std::size_t count, std::size_t threads,
                  const std::function<void(std::size_t)>& job);

// Below this many small jobs, starting a thread costs more than it saves.
inline constexpr std::size_t k_parallel_minimum = 64;

// The cores, at most four: the most threads worth starting for work that shares them.
[[nodiscard]] std::size_t core_threads();

// The threads worth using for `count` small read-only jobs: one below k_parallel_minimum,
// else core_threads().
[[nodiscard]] std::size_t reading_threads(std::size_t count);

} // namespace wildcert
