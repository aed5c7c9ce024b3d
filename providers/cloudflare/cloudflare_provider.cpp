#include "providers/cloudflare/cloudflare_provider.hpp"

#include "providers/cloudflare/cloudflare_api.hpp"
#include "providers/cloudflare/cloudflare_records.hpp"
#include "providers/cloudflare/cloudflare_zones.hpp"
#include "providers/common/http_settings.hpp"

#include <array>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace wildcert::providers::cloudflare {
namespace {

constexpr std::string_view k_name = "cloudflare";

constexpr std::array<SettingDescriptor, 9> k_settings{{
    {"api_token", "WILDCERT_CLOUDFLARE_API_TOKEN", SettingType::string, "", false, true,
     "API token with the permissions Zone:Zone:Read and Zone:DNS:Edit (preferred over the "
     "Global API Key)"},
    {"email", "WILDCERT_CLOUDFLARE_EMAIL", SettingType::string, "", false, false,
     "account e-mail address, only with api_key (legacy Global API Key)"},
    {"api_key", "WILDCERT_CLOUDFLARE_API_KEY", SettingType::string, "", false, true,
     "legacy Global API Key, only with email; use api_token instead where possible"},
    {"zone_id", "WILDCERT_CLOUDFLARE_ZONE_ID", SettingType::string, "", false, false,
     "zone id; when absent the zone is found by name (needs Zone:Zone:Read)"},
    {"account_id", "WILDCERT_CLOUDFLARE_ACCOUNT_ID", SettingType::string, "", false, false,
     "only consider zones of this account when finding the zone by name"},
    {"ttl", "WILDCERT_CLOUDFLARE_TTL", SettingType::integer, "120", false, false,
     "TTL of the challenge records in seconds: 1 (automatic) or 60 to 86400"},
    {"api_url", "WILDCERT_CLOUDFLARE_API_URL", SettingType::string, k_default_api_url, false, false,
     "base URL of the Cloudflare API v4"},
    k_ca_bundle_setting,
    k_request_timeout_setting,
}};

class CloudflareProvider final : public DnsProvider {
public:
    CloudflareProvider(Config config, Hooks hooks)
        : m_config(std::move(config)),
          m_api(m_config, std::move(hooks.sleep), std::move(hooks.cancelled)),
          m_zones(m_api, m_config.zone_id, m_config.account_id) {}

    // One record per value: Cloudflare keeps each TXT value as its own record, so wildcard
    // and apex values at one name coexist without merging (research notes §0).
    Result<void> add(std::span<const TxtRecord> records) override {
        for (const auto& record : records) {
            if (auto done = add_one(record); !done)
                return done.error().with_context(std::string(k_name));
        }
        return {};
    }

    // Found again by name and content, never by an id kept from add(), so that a later run
    // can clean up after a crash (docs/dev/architecture.md §3). A failure at one name does not stop
    // the cleanup of the others; the first failure is reported.
    Result<void> remove(std::span<const TxtRecord> records) override {
        std::map<std::string, std::set<std::string>> values_by_name;
        for (const auto& record : records)
            values_by_name[api_name(record.fqdn)].insert(record.value);
        std::optional<Error> first_failure;
        for (const auto& [name, values] : values_by_name) {
            if (auto done = remove_values(name, values); !done && !first_failure)
                first_failure = done.error().with_context(std::string(k_name));
        }
        if (first_failure)
            return *first_failure;
        return {};
    }

    // Finds each zone (GET /zones?name=) and lists its TXT records at the apex: proves the
    // token is accepted and can see the zone's DNS records. Whether it may also edit them
    // shows only when it writes (a token's own permissions are not readable with it).
    Result<AccessCheck> check_access(std::span<const std::string> zones) override {
        std::string found;
        for (const auto& zone_name : zones) {
            const auto name = api_name(zone_name);
            auto zone = m_zones.zone_for(name);
            if (!zone)
                return zone.error().with_context(std::string(k_name));
            if (auto listed = list_txt(m_api, *zone, zone->name); !listed)
                return listed.error().with_context(std::string(k_name));
            found += (found.empty() ? "" : ", ") + zone->name + " (zone id " + zone->id + ")";
        }
        return AccessCheck{true, "credentials accepted; DNS records readable in " + found +
                                     " (edit permission shows only when a record is written)"};
    }

private:
    Result<void> add_one(const TxtRecord& record) {
        const auto name = api_name(record.fqdn);
        WILDCERT_TRY(const auto zone, m_zones.zone_for(name));
        return create_txt(m_api, zone, name, record.value, m_config.ttl);
    }

    Result<void> remove_values(const std::string& name, const std::set<std::string>& values) {
        WILDCERT_TRY(const auto zone, m_zones.zone_for(name));
        WILDCERT_TRY(const auto entries, list_txt(m_api, zone, name));
        for (const auto& entry : entries) {
            if (api_name(entry.name) != name)
                continue;
            for (const auto& value : values) {
                if (content_matches(entry.content, value)) {
                    WILDCERT_CHECK(delete_record(m_api, zone, entry));
                    break;
                }
            }
        }
        return {};
    }

    Config m_config;
    Api m_api;
    ZoneFinder m_zones;
};

Result<std::unique_ptr<DnsProvider>> create(const ProviderDescriptor& descriptor,
                                            const ProviderConfig& config,
                                            const ProviderContext& context) {
    WILDCERT_TRY(const auto settings, Settings::resolve(descriptor, config));
    WILDCERT_TRY(auto validated, read_config(settings, config.origin, context));
    return make_provider(std::move(validated), Hooks{.sleep = {}, .cancelled = context.cancelled});
}

} // namespace

const ProviderDescriptor k_descriptor{
    k_name,
    "Cloudflare DNS through the API v4 (API token, or the legacy Global API Key)",
    k_settings,
    &create,
};

std::unique_ptr<DnsProvider> make_provider(Config config, Hooks hooks) {
    return std::make_unique<CloudflareProvider>(std::move(config), std::move(hooks));
}

} // namespace wildcert::providers::cloudflare
