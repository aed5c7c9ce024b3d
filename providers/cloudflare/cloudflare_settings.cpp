#include "providers/cloudflare/cloudflare_settings.hpp"

#include "http/url.hpp"
#include "providers/cloudflare/cloudflare_api.hpp"
#include "providers/common/http_settings.hpp"

namespace wildcert::providers::cloudflare {
namespace {

// Cloudflare's TTL rule: 1 means "automatic", otherwise 60..86400 seconds (the minimum is 30
// only on Enterprise zones). cloudflare-go `TTL`, OpenAPI `dns-records_ttl`.
constexpr std::int64_t k_ttl_automatic = 1;
constexpr std::int64_t k_ttl_min = 60;
constexpr std::int64_t k_ttl_max = 86400;

Result<Credentials> read_credentials(const Settings& settings, const std::string& origin) {
    Credentials credentials{settings.string("api_token").value_or(""),
                            settings.string("email").value_or(""),
                            settings.string("api_key").value_or("")};
    const bool has_key_pair = !credentials.email.empty() || !credentials.api_key.empty();
    if (credentials.uses_token() && has_key_pair) {
        const auto* other = credentials.email.empty() ? "api_key" : "email";
        return settings.error(other, "set either api_token or email + api_key, not both (" +
                                         settings.where("api_token") + ")");
    }
    if (credentials.uses_token())
        return credentials;
    if (credentials.email.empty() && credentials.api_key.empty())
        return make_error(ErrorKind::profile,
                          origin + ": dns.cloudflare: no credentials: set api_token (or "
                                   "WILDCERT_CLOUDFLARE_API_TOKEN), or the legacy email + api_key");
    if (credentials.api_key.empty())
        return settings.error("email",
                              "the Global API Key needs api_key too (or set api_token instead)");
    if (credentials.email.empty())
        return settings.error("api_key",
                              "the Global API Key needs email too (or set api_token instead)");
    if (credentials.email.find('@') == std::string::npos)
        return settings.error("email", "is not an e-mail address");
    return credentials;
}

Result<std::string> read_api_url(const Settings& settings) {
    std::string url = settings.string("api_url").value_or(std::string(k_default_api_url));
    while (!url.empty() && url.back() == '/')
        url.pop_back();
    auto parsed = http::parse_url(url);
    if (!parsed)
        return settings.error("api_url", parsed.error().message);
    if (parsed->scheme != "https" && !parsed->is_loopback())
        return settings.error("api_url",
                              "must be https:// (plain http:// only to loopback, for tests)");
    if (parsed->target.find('?') != std::string::npos)
        return settings.error("api_url", "must not have a query string");
    return url;
}

} // namespace

Result<Config> read_config(const Settings& settings, const std::string& origin,
                           const ProviderContext& context) {
    Config config;
    WILDCERT_TRY(config.http, http_options(settings, context, "cloudflare"));
    WILDCERT_TRY(config.credentials, read_credentials(settings, origin));
    WILDCERT_TRY(config.api_url, read_api_url(settings));

    config.zone_id = settings.string("zone_id").value_or("");
    if (!config.zone_id.empty() && !is_plain_id(config.zone_id))
        return settings.error("zone_id",
                              "must be the zone's id (letters and digits, as shown on the "
                              "zone's overview page)");
    config.account_id = settings.string("account_id").value_or("");
    if (!config.account_id.empty() && !is_plain_id(config.account_id))
        return settings.error("account_id", "must be an account id (letters and digits)");

    config.ttl = settings.integer("ttl").value_or(120);
    if (config.ttl != k_ttl_automatic && (config.ttl < k_ttl_min || config.ttl > k_ttl_max))
        return settings.error(
            "ttl", "must be 1 (automatic) or between " + std::to_string(k_ttl_min) + " and " +
                       std::to_string(k_ttl_max) + " seconds, got " + std::to_string(config.ttl));
    return config;
}

} // namespace wildcert::providers::cloudflare
