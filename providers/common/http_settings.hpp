#pragma once
// The settings every HTTP provider takes the same way, and the HTTP client options made from
// them and the run's ProviderContext: so that a provider behind a private CA (an internal
// PowerDNS, a test fake) is trusted through `ca_bundle`, every request carries wildcert's
// User-Agent, and one exchange is bounded by `request_timeout`.

#include "http/http_client.hpp"
#include "providers/context.hpp"
#include "providers/descriptor.hpp"

#include <wildcert/result.hpp>

namespace wildcert::providers {

inline constexpr SettingDescriptor k_ca_bundle_setting{
    "ca_bundle",
    "",
    SettingType::string,
    "",
    false,
    false,
    "PEM file of extra CA certificates trusted for the API's TLS certificate (added to the "
    "system store)"};
inline constexpr SettingDescriptor k_request_timeout_setting{
    "request_timeout",
    "",
    SettingType::duration,
    "",
    false,
    false,
    "deadline of one HTTP exchange with the API, from connecting to the last byte (1s to 10m; "
    "default 30s)"};

// http::Options from `ca_bundle` and `request_timeout` in `settings` (a descriptor lists them
// to accept them) and the context's User-Agent and deadline. A ca_bundle that cannot be read
// or a timeout out of range is an ErrorKind::profile error naming the setting.
[[nodiscard]] Result<http::Options>
http_options(const Settings& settings, const ProviderContext& context, std::string_view provider);

} // namespace wildcert::providers
