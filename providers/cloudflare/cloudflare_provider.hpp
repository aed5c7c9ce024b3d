#pragma once
// Cloudflare API v4 (https://api.cloudflare.com/client/v4): one TXT record per challenge value,
// found again by name and content so that removal works after a crash.

#include "providers/cloudflare/cloudflare_settings.hpp"
#include "providers/descriptor.hpp"

#include <chrono>
#include <functional>
#include <memory>

namespace wildcert::providers::cloudflare {

// Settings: api_token, or email + api_key; zone_id, account_id, ttl, api_url.
extern const ProviderDescriptor k_descriptor;

// What the provider needs from the outside world, injectable for tests (no real clock there).
struct Hooks {
    // Waits before a retry after HTTP 429; the default sleeps until `cancelled` says stop.
    std::function<void(std::chrono::milliseconds)> sleep;
    // SIGINT/SIGTERM (ProviderContext::cancelled): no retry starts once it says so.
    std::function<bool()> cancelled;
};

// The provider for already validated settings (the factory behind k_descriptor uses this too).
[[nodiscard]] std::unique_ptr<DnsProvider> make_provider(Config config, Hooks hooks = {});

} // namespace wildcert::providers::cloudflare
