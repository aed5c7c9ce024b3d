#include "providers/powerdns/powerdns_provider.hpp"

#include "common/ascii_case.hpp"
#include "http/url.hpp"
#include "providers/common/http_settings.hpp"
#include "providers/common/txt_set.hpp"
#include "providers/powerdns/powerdns_api.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <optional>

namespace wildcert::providers::powerdns {
namespace {

constexpr std::int64_t k_max_ttl = 2147483647; // RFC 2181 §8

constexpr std::array<SettingDescriptor, 8> k_settings{{
    {"api_url", "WILDCERT_POWERDNS_API_URL", SettingType::string, "", true, false,
     "base URL of the PowerDNS webserver, without /api/v1 (e.g. https://pdns.example.net:8081)"},
    {"api_key", "WILDCERT_POWERDNS_API_KEY", SettingType::string, "", true, true,
     "the server's api-key (pdns.conf), sent as X-API-Key"},
    {"server_id", "", SettingType::string, "localhost", false, false,
     "server id in the API path (localhost for a single server)"},
    {"ttl", "", SettingType::integer, "", false, false,
     "TTL of a new challenge RRset in seconds (an existing RRset keeps its TTL); default: "
     "dns.ttl"},
    {"allow_plain_http", "", SettingType::boolean, "false", false, false,
     "allow an http:// api_url on a host that is not loopback (PowerDNS's webserver has no "
     "TLS of its own; the API key then crosses the network in clear)"},
    k_ca_bundle_setting,
    k_request_timeout_setting,
    {"zone", "", SettingType::string, "", false, false,
     "zone to write in, when it differs from the zone the core finds through DNS"},
}};

std::string absolute_lower(std::string name) {
    name = common::ascii_lower(std::move(name));
    if (name.empty() || name.back() != '.')
        name += '.';
    return name;
}

struct Config {
    std::optional<std::chrono::seconds> ttl;
    std::string zone; // "" : the zone each record names
};

class PowerDnsProvider final : public DnsProvider {
public:
    PowerDnsProvider(Api api, Config config) : m_api(std::move(api)), m_config(std::move(config)) {}

    Result<void> add(std::span<const TxtRecord> records) override {
        if (auto done = apply(records, true); !done)
            return done.error().with_context("powerdns");
        return {};
    }
    Result<void> remove(std::span<const TxtRecord> records) override {
        if (auto done = apply(records, false); !done)
            return done.error().with_context("powerdns");
        return {};
    }

    // A GET of each zone proves the key, the server id and that the zone is on this server.
    Result<AccessCheck> check_access(std::span<const std::string> zones) override {
        std::string found;
        for (const auto& zone : zones) {
            const auto name = zone_for(zone);
            if (auto sets = m_api.txt_rrsets(name); !sets)
                return sets.error().with_context("powerdns");
            found += (found.empty() ? "" : ", ") + name;
        }
        return AccessCheck{true, "API key accepted; zone " + found +
                                     " readable (write rights show only when a record is "
                                     "written)"};
    }

private:
    struct Owner {
        std::vector<std::string> values;
        std::chrono::seconds ttl{0};
    };
    // zone -> owner -> values; ordered so that PATCH bodies are reproducible.
    using Plan = std::map<std::string, std::map<std::string, Owner>>;

    [[nodiscard]] std::string zone_for(const std::string& record_zone) const {
        return absolute_lower(m_config.zone.empty() ? record_zone : m_config.zone);
    }

    Result<void> apply(std::span<const TxtRecord> records, bool adding) {
        Plan plan;
        for (const auto& record : records) {
            auto& owner = plan[zone_for(record.zone)][absolute_lower(record.fqdn)];
            owner.values.push_back(record.value);
            owner.ttl = m_config.ttl.value_or(record.ttl);
        }
        bool changed_any = false;
        for (const auto& [zone, owners] : plan) {
            WILDCERT_TRY(const auto current, m_api.txt_rrsets(zone));
            std::vector<RrsetChange> changes;
            for (const auto& [name, owner] : owners) {
                const auto found = current.find(name);
                const TxtRrset* existing = found == current.end() ? nullptr : &found->second;
                const auto contents = existing ? existing->contents : std::vector<std::string>{};
                auto merged = adding ? txt_set::with_values(contents, owner.values)
                                     : txt_set::without_values(contents, owner.values);
                if (!merged.changed)
                    continue; // already there (add) or already gone (remove)
                changes.push_back(RrsetChange{
                    .name = name,
                    // A foreign value's TTL is not ours to change.
                    .ttl = existing ? existing->ttl : owner.ttl,
                    .contents = std::move(merged.values),
                    .disabled = existing ? existing->disabled : std::vector<std::string>{},
                });
            }
            if (auto patched = m_api.patch(zone, changes); !patched) {
                // "Nothing was added" holds for this zone's PATCH, not for earlier zones.
                auto error = patched.error();
                if (changed_any && error.kind == ErrorKind::refused)
                    error.kind = ErrorKind::provider;
                return error;
            }
            changed_any = changed_any || !changes.empty();
        }
        return {};
    }

    Api m_api;
    Config m_config;
};

Result<std::unique_ptr<DnsProvider>> create(const ProviderDescriptor& descriptor,
                                            const ProviderConfig& config,
                                            const ProviderContext& context) {
    WILDCERT_TRY(const auto settings, Settings::resolve(descriptor, config));
    ApiOptions options;
    options.api_url = settings.string("api_url").value_or("");
    while (!options.api_url.empty() && options.api_url.back() == '/')
        options.api_url.pop_back();
    const auto url = http::parse_url(options.api_url);
    if (!url)
        return settings.error("api_url", url.error().message);
    if (url->target != "/" && !url->target.empty())
        return settings.error("api_url", "must be the webserver's base URL, without a path "
                                         "(the provider adds /api/v1/servers/...)");
    const bool allow_plain_http = settings.boolean("allow_plain_http").value_or(false);
    if (url->scheme == "http" && !url->is_loopback() && !allow_plain_http)
        return settings.error("api_url",
                              "is plain http:// to a host that is not loopback: the API key "
                              "would cross the network in clear; use https:// (a TLS proxy "
                              "in front of the webserver) or set allow_plain_http = true");
    options.api_key = settings.string("api_key").value_or("");
    if (options.api_key.empty())
        return settings.error("api_key", "must not be empty");
    options.server_id = settings.string("server_id").value_or("localhost");
    if (options.server_id.empty() || options.server_id.find_first_of("/?#%") != std::string::npos)
        return settings.error("server_id", "must be a plain id such as localhost");
    WILDCERT_TRY(options.http, http_options(settings, context, descriptor.name));
    options.http.allow_plain_http = allow_plain_http;

    Config provider_config;
    if (const auto ttl = settings.integer("ttl")) {
        if (*ttl < 1 || *ttl > k_max_ttl)
            return settings.error("ttl", "must be from 1 to " + std::to_string(k_max_ttl));
        provider_config.ttl = std::chrono::seconds(*ttl);
    }
    provider_config.zone = settings.string("zone").value_or("");
    return std::unique_ptr<DnsProvider>(
        std::make_unique<PowerDnsProvider>(Api(std::move(options)), std::move(provider_config)));
}

} // namespace

const ProviderDescriptor k_descriptor{
    "powerdns",
    "PowerDNS Authoritative through its HTTP API (X-API-Key; RRsets merged, then REPLACE)",
    k_settings,
    &create,
};

} // namespace wildcert::providers::powerdns
