#pragma once
// AWS Route 53 (API 2013-04-01), signed with SigV4: finds the hosted zone, merges challenge
// values into the TXT set at each name, one change batch per zone, and waits for INSYNC.

#include "providers/descriptor.hpp"
#include "providers/route53/api.hpp"
#include "providers/route53/credentials.hpp"

namespace wildcert::providers::route53 {

// Settings: access_key_id, secret_access_key, session_token, profile, hosted_zone_id,
// private_zone, api_url, region, ttl.
extern const ProviderDescriptor k_descriptor;

// What the provider takes from outside the profile, injectable for tests.
struct Environment {
    EnvLookup env = &process_env;
    FileReader read_file = &read_credentials_file;
    Hooks hooks = Hooks::system();
    ProviderContext context; // User-Agent and deadline for the HTTP client
};

// The factory behind k_descriptor, with the environment made explicit.
[[nodiscard]] Result<std::unique_ptr<DnsProvider>> create_provider(const ProviderConfig& config,
                                                                   Environment environment);

} // namespace wildcert::providers::route53
