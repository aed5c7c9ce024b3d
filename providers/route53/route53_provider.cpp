#include "providers/route53/route53_provider.hpp"

#include "providers/common/http_settings.hpp"
#include "providers/route53/txt_changes.hpp"

#include <algorithm>
#include <array>
#include <map>

namespace wildcert::providers::route53 {
namespace {

// Route 53 TTLs are 0..2147483647 seconds (ResourceRecordSet.TTL, API reference).
constexpr std::int64_t k_max_ttl = 2147483647;
// "Changes generally propagate to all Route 53 name servers within 60 seconds"; three times
// that is a stuck change, not a slow one.
constexpr std::chrono::milliseconds k_insync_timeout{std::chrono::seconds(180)};
constexpr std::chrono::milliseconds k_first_poll_pause{250};
constexpr std::chrono::milliseconds k_max_poll_pause{5000};
// Paging through zones of one name ends here (each page holds 100 zones).
constexpr int k_max_zone_pages = 20;

constexpr std::array<SettingDescriptor, 11> k_settings{{
    {"access_key_id", k_env_access_key_id, SettingType::string, "", false, false,
     "AWS access key id (with secret_access_key); else the environment, else the shared "
     "credentials file"},
    {"secret_access_key", k_env_secret_access_key, SettingType::string, "", false, true,
     "AWS secret access key"},
    {"session_token", k_env_session_token, SettingType::string, "", false, true,
     "session token of temporary credentials (sent as X-Amz-Security-Token)"},
    {"profile", k_env_profile, SettingType::string, "", false, false,
     "profile in the shared credentials file (AWS_SHARED_CREDENTIALS_FILE or "
     "~/.aws/credentials); \"default\" when unset"},
    {"hosted_zone_id", "", SettingType::string, "", false, false,
     "hosted zone to use (e.g. Z1D633PJN98FT9); else found by name with ListHostedZonesByName"},
    {"private_zone", "", SettingType::boolean, "false", false, false,
     "pick the private hosted zone of that name instead of the public one"},
    {"api_url", "AWS_ENDPOINT_URL_ROUTE_53", SettingType::string, "https://route53.amazonaws.com",
     false, false, "Route 53 endpoint"},
    {"region", "", SettingType::string, "us-east-1", false, false,
     "SigV4 signing region of the endpoint (us-east-1 for the global endpoint)"},
    {"ttl", "", SettingType::integer, "", false, false,
     "TTL of the challenge TXT set in seconds; default: dns.ttl"},
    k_ca_bundle_setting,
    k_request_timeout_setting,
}};

struct Config {
    std::string hosted_zone_id; // bare id, or "" to look it up
    bool private_zone = false;
    std::optional<std::chrono::seconds> ttl;
};

class Route53Provider final : public DnsProvider {
public:
    Route53Provider(Api api, Config config) : m_api(std::move(api)), m_config(std::move(config)) {}

    Result<void> add(std::span<const TxtRecord> records) override {
        if (auto done = apply(records, true); !done)
            return done.error().with_context("route53: add TXT records");
        return {};
    }

    Result<void> remove(std::span<const TxtRecord> records) override {
        if (auto done = apply(records, false); !done)
            return done.error().with_context("route53: remove TXT records");
        return {};
    }

    // ListHostedZonesByName for each zone (unless hosted_zone_id is set) and one
    // ListResourceRecordSets in it: proves the credentials and the signature are accepted and
    // the zone is visible. Change rights show only with a change, which check never makes.
    Result<AccessCheck> check_access(std::span<const std::string> zones) override {
        std::string found;
        for (const auto& zone : zones) {
            const auto name = normalize_name(zone);
            auto zone_id = zone_for(name, name);
            if (!zone_id)
                return zone_id.error().with_context("route53");
            if (auto listed = m_api.txt_set(*zone_id, "_acme-challenge." + name); !listed)
                return listed.error().with_context("route53");
            found += (found.empty() ? "" : ", ") + name + " (hosted zone " + *zone_id + ")";
        }
        return AccessCheck{true, "credentials accepted; records readable in " + found +
                                     " (change rights show only when a record is written)"};
    }

private:
    // zone id -> owner name -> values; ordered so batches are reproducible.
    using Plan = std::map<std::string, std::map<std::string, std::vector<std::string>>>;

    Result<void> apply(std::span<const TxtRecord> records, bool adding) {
        Plan plan;
        std::map<std::string, std::chrono::seconds> ttls;
        for (const auto& record : records) {
            const auto fqdn = normalize_name(record.fqdn);
            WILDCERT_TRY(const auto zone_id, zone_for(fqdn, record.zone));
            plan[zone_id][fqdn].push_back(record.value);
            ttls.emplace(fqdn, m_config.ttl.value_or(record.ttl));
        }
        // All batches first, then one wait: the zones propagate in parallel.
        std::vector<std::string> change_ids;
        for (const auto& [zone_id, names] : plan) {
            std::vector<RecordChange> changes;
            for (const auto& [fqdn, values] : names) {
                WILDCERT_TRY(const auto current, m_api.txt_set(zone_id, fqdn));
                auto change = adding ? plan_add(current, fqdn, values, ttls.at(fqdn))
                                     : plan_remove(current, values);
                if (change)
                    changes.push_back(std::move(*change));
            }
            if (changes.empty())
                continue; // already there (add) or already gone (remove)
            WILDCERT_TRY(auto change_id, m_api.change(zone_id, changes));
            change_ids.push_back(std::move(change_id));
        }
        for (const auto& change_id : change_ids)
            WILDCERT_CHECK(wait_insync(change_id, adding));
        return {};
    }

    // GetChange until INSYNC, a short first pause growing to k_max_poll_pause, bounded. A
    // stopped run does not wait: an added value it cannot promise is an error, while a removal
    // Route 53 has accepted is applied whether or not anyone waits for it.
    Result<void> wait_insync(const std::string& change_id, bool adding) {
        auto pause = k_first_poll_pause;
        std::chrono::milliseconds waited{0};
        while (true) {
            if (m_api.hooks().stopped()) {
                if (!adding)
                    return {};
                return make_error(ErrorKind::interrupted,
                                  "interrupted while change " + change_id + " was PENDING");
            }
            WILDCERT_TRY(const auto status, m_api.change_status(change_id));
            if (status == "INSYNC")
                return {};
            if (waited >= k_insync_timeout)
                return make_error(ErrorKind::timeout,
                                  "change " + change_id + " still PENDING after " +
                                      std::to_string(waited.count() / 1000) + " s");
            m_api.hooks().sleep(pause);
            waited += pause;
            pause = std::min(pause * 2, k_max_poll_pause);
        }
    }

    Result<std::string> zone_for(const std::string& fqdn, const std::string& zone_hint) {
        if (!m_config.hosted_zone_id.empty())
            return m_config.hosted_zone_id;
        if (const auto cached = m_zones.find(fqdn); cached != m_zones.end())
            return cached->second;
        WILDCERT_TRY(auto zone_id, find_zone(fqdn, zone_hint));
        m_zones.emplace(fqdn, zone_id);
        return zone_id;
    }

    // Candidates from the name itself up the labels; the zone the core found by SOA goes
    // first since it is nearly always the hosted zone.
    Result<std::string> find_zone(const std::string& fqdn, const std::string& zone_hint) {
        std::vector<std::string> candidates;
        for (std::size_t start = 0; start < fqdn.size() - 1;) {
            candidates.push_back(fqdn.substr(start));
            start = fqdn.find('.', start) + 1;
        }
        if (!zone_hint.empty()) {
            const auto hint = normalize_name(zone_hint);
            const auto found = std::find(candidates.begin(), candidates.end(), hint);
            if (found != candidates.end())
                std::rotate(candidates.begin(), found, found + 1);
        }
        for (const auto& candidate : candidates) {
            WILDCERT_TRY(const auto zone_id, zone_named(candidate));
            if (!zone_id.empty())
                return zone_id;
        }
        std::string tried;
        for (const auto& candidate : candidates)
            tried += (tried.empty() ? "" : ", ") + candidate;
        return make_error(ErrorKind::provider,
                          std::string("no ") + (m_config.private_zone ? "private" : "public") +
                              " hosted zone found for " + fqdn + " (looked for " + tried +
                              "); check the account, private_zone, or set hosted_zone_id");
    }

    // The id of the zone named exactly `name` with the wanted privacy, or "". Zones are
    // listed from the first name >= `name` (reversed labels), so matches come first.
    Result<std::string> zone_named(const std::string& name) {
        std::string dns_name = name;
        std::string zone_id;
        for (int page_number = 0; page_number < k_max_zone_pages; ++page_number) {
            WILDCERT_TRY(const auto page, m_api.list_hosted_zones_by_name(dns_name, zone_id));
            for (const auto& zone : page.zones) {
                if (zone.name != name)
                    return std::string();
                if (zone.private_zone == m_config.private_zone)
                    return zone.id;
            }
            if (!page.truncated || normalize_name(page.next_dns_name) != name)
                return std::string();
            dns_name = page.next_dns_name;
            zone_id = page.next_zone_id;
        }
        return std::string();
    }

    Api m_api;
    Config m_config;
    std::map<std::string, std::string> m_zones; // owner name -> hosted zone id
};

std::optional<std::string> table_string(const ProviderConfig& config, const std::string& key) {
    const auto found = config.settings.find(key);
    if (found == config.settings.end())
        return std::nullopt;
    if (const auto* text = std::get_if<std::string>(&found->second.value))
        return *text;
    return std::nullopt;
}

Result<std::unique_ptr<DnsProvider>> create(const ProviderDescriptor&, const ProviderConfig& config,
                                            const ProviderContext& context) {
    Environment environment;
    environment.hooks = Hooks::system(context.cancelled);
    environment.context = context;
    return create_provider(config, std::move(environment));
}

} // namespace

Result<std::unique_ptr<DnsProvider>> create_provider(const ProviderConfig& config,
                                                     Environment environment) {
    WILDCERT_TRY(auto settings, Settings::resolve(k_descriptor, config));

    // Credentials follow their own precedence (credentials.hpp), so the table is read here
    // rather than through the environment fallbacks of Settings.
    const TableCredentials table{
        table_string(config, "access_key_id"), table_string(config, "secret_access_key"),
        table_string(config, "session_token"), table_string(config, "profile")};
    WILDCERT_TRY(auto credentials,
                 resolve_credentials(table, environment.env, environment.read_file));

    Config provider_config;
    provider_config.hosted_zone_id = settings.string("hosted_zone_id").value_or("");
    if (provider_config.hosted_zone_id.starts_with("/hostedzone/"))
        provider_config.hosted_zone_id.erase(0, std::string_view("/hostedzone/").size());
    provider_config.private_zone = settings.boolean("private_zone").value_or(false);
    if (const auto ttl = settings.integer("ttl")) {
        if (*ttl < 0 || *ttl > k_max_ttl)
            return settings.error("ttl", "must be between 0 and " + std::to_string(k_max_ttl));
        provider_config.ttl = std::chrono::seconds(*ttl);
    }

    ApiOptions options;
    options.api_url = settings.string("api_url").value_or("");
    options.region = settings.string("region").value_or("");
    if (options.region.empty())
        return settings.error("region", "must not be empty");
    options.credentials = std::move(credentials);
    WILDCERT_TRY(options.http, http_options(settings, environment.context, k_descriptor.name));
    auto api = Api::create(std::move(options), std::move(environment.hooks));
    if (!api)
        return settings.error("api_url", api.error().message);
    return std::unique_ptr<DnsProvider>(
        std::make_unique<Route53Provider>(std::move(api).value(), std::move(provider_config)));
}

const ProviderDescriptor k_descriptor{
    "route53",
    "AWS Route 53, signed with SigV4 (keys, AWS_* variables or ~/.aws/credentials)",
    k_settings,
    &create,
};

} // namespace wildcert::providers::route53
