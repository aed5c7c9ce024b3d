#include "common/parallel_for.hpp"

#include <algorithm>
#include <thread>
#include <vector>

namespace wildcert {

void parallel_for(std::size_t count, std::size_t threads,
                  const std::function<void(std::size_t)>& job) {
    threads = std::clamp<std::size_t>(threads, 1, std::max<std::size_t>(1, count));
    if (threads == 1) {
        for (std::size_t i = 0; i < count; ++i)
            job(i);
        return;
    }
    const auto range = [&](std::size_t part) {
        const std::size_t begin = count * part / threads;
        const std::size_t end = count * (part + 1) / threads;
        for (std::size_t i = begin; i < end; ++i)
            job(i);
    };
    std::vector<std::jthread> helpers;
    helpers.reserve(threads - 1);
    for (std::size_t part = 1; part < threads; ++part)
        helpers.emplace_back(range, part);
    range(0);
}

std::size_t core_threads() {
    return std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 4);
}

std::size_t reading_threads(std::size_t count) {
    return count < k_parallel_minimum ? 1 : core_threads();
}

} // namespace wildcert
