#pragma once
// What every provider is handed besides its own settings (docs/dev/adding-a-provider.md): the
// run's HTTP defaults (its versioned User-Agent and exchange deadline) and the cancel flag that
// SIGINT/SIGTERM trip, so that a provider's own waits (a rate limit's Retry-After, Route 53's
// INSYNC) end with the run instead of holding it.

#include <chrono>
#include <functional>
#include <string>

namespace wildcert::providers {

struct ProviderContext {
    std::string user_agent = "wildcert";
    std::chrono::milliseconds request_timeout{std::chrono::seconds(30)};
    std::function<bool()> cancelled; // empty: never

    [[nodiscard]] bool stop_requested() const { return cancelled && cancelled(); }
};

} // namespace wildcert::providers
