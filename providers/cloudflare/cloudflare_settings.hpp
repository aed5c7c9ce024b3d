#pragma once
// The validated settings of the cloudflare provider.

#include "http/http_client.hpp"
#include "providers/descriptor.hpp"

#include <wildcert/result.hpp>

#include <cstdint>
#include <string>

namespace wildcert::providers::cloudflare {

// "https://api.cloudflare.com/client/v4/" is the stable v4 base (Cloudflare docs, "Make API
// calls"); a setting so the same code can talk to the local fake.
inline constexpr std::string_view k_default_api_url = "https://api.cloudflare.com/client/v4";

// Exactly one of the two schemes is set: an API token (preferred), or the legacy Global API
// Key with the account's e-mail address.
struct Credentials {
    std::string api_token; // secret
    std::string email;
    std::string api_key; // secret

    [[nodiscard]] bool uses_token() const { return !api_token.empty(); }
};

struct Config {
    Credentials credentials;
    std::string zone_id;    // "" to find the zone by name
    std::string account_id; // "" for no account filter on the zone lookup
    std::int64_t ttl = 120; // 1 means "automatic"
    std::string api_url{k_default_api_url};
    http::Options http; // User-Agent, deadline, ca_bundle (providers/common/http_settings.hpp)
};

// Checks the resolved settings: one auth scheme, ttl range, URL and id shapes, and makes the
// HTTP options from them and `context`. Errors are
// ErrorKind::profile, name the key and where it was set (`origin`: where dns.provider is set,
// for errors about keys that are all missing), and never repeat a secret.
[[nodiscard]] Result<Config> read_config(const Settings& settings, const std::string& origin,
                                         const ProviderContext& context = {});

} // namespace wildcert::providers::cloudflare
