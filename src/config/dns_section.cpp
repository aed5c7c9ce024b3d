#include "config/sections.hpp"

#include "config/duration.hpp"
#include "config/server_spec.hpp"

#include "common/did_you_mean.hpp"

#include <array>
#include <utility>

namespace wildcert::config {
namespace {

constexpr std::int64_t k_min_ttl = 1;
constexpr std::int64_t k_max_ttl = 86'400; // a challenge record lives minutes, not days
// Integers given as seconds share the 9-digit bound of the string form (see duration.hpp).
constexpr std::int64_t k_max_duration_seconds = 999'999'999;

constexpr std::array<std::pair<std::string_view, PropagationCheck>, 3> k_propagation_checks{{
    {"authoritative", PropagationCheck::authoritative},
    {"resolvers", PropagationCheck::resolvers},
    {"none", PropagationCheck::none},
}};

// Provider names are folder and registry names: keep them to what those allow.
bool is_provider_name(std::string_view name) {
    if (name.empty())
        return false;
    for (const char c : name) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
        if (!ok)
            return false;
    }
    return true;
}

} // namespace

Result<std::optional<std::chrono::milliseconds>> read_duration(TableReader& dns,
                                                               std::string_view key) {
    const Node* node = dns.find(key);
    if (node == nullptr)
        return std::optional<std::chrono::milliseconds>{};
    if (node->kind == Node::Kind::integer) {
        if (node->integer < 0 || node->integer > k_max_duration_seconds)
            return dns.error(node->position, key,
                             "must be a number of seconds from 0 to 999999999");
        return std::optional<std::chrono::milliseconds>{std::chrono::seconds(node->integer)};
    }
    if (node->kind != Node::Kind::string)
        return dns.wrong_type(*node, key, "a duration (a string such as \"90s\", or seconds)");
    WILDCERT_TRY(const Text text, dns.text(*node, key));
    const auto duration = parse_duration(text.value);
    if (!duration) {
        return dns.error(text.position, key,
                         text.shown() +
                             " is not a duration (write e.g. \"500ms\", \"90s\", \"5m\", \"1h\", "
                             "\"1d\" or \"1m30s\")");
    }
    return std::optional<std::chrono::milliseconds>{*duration};
}

namespace {

Result<std::vector<std::string>> read_servers(TableReader& dns, std::string_view key) {
    WILDCERT_TRY(const auto texts, dns.optional_string_array(key));
    std::vector<std::string> servers;
    if (!texts)
        return servers;
    for (std::size_t i = 0; i < texts->size(); ++i) {
        const Text& text = (*texts)[i];
        if (const auto why = check_server_spec(text.value))
            return dns.error(text.position, std::string(key) + element_suffix(i),
                             text.shown() + ": " + *why);
        servers.push_back(text.value);
    }
    return servers;
}

Result<std::optional<PropagationCheck>> read_propagation_check(TableReader& dns) {
    WILDCERT_TRY(const std::optional<Text> text, dns.optional_string("propagation_check"));
    if (!text)
        return std::optional<PropagationCheck>{};
    for (const auto& [name, check] : k_propagation_checks) {
        if (text->value == name)
            return std::optional<PropagationCheck>{check};
    }
    return dns.error(text->position, "propagation_check",
                     text->shown() + " is not one of: authoritative, resolvers, none");
}

// A TTL is a duration like the others ("5m", or seconds), in whole seconds as DNS keeps it.
Result<std::chrono::seconds> read_ttl(TableReader& dns, std::chrono::seconds fallback) {
    WILDCERT_TRY(const auto ttl, read_duration(dns, "ttl"));
    if (!ttl)
        return fallback;
    const Position position = dns.find("ttl")->position;
    if (ttl->count() % 1000 != 0)
        return dns.error(position, "ttl", "must be whole seconds (DNS has no finer TTL)");
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(*ttl);
    if (seconds.count() >= k_min_ttl && seconds.count() <= k_max_ttl)
        return seconds;
    return dns.error(position, "ttl",
                     shown_value(position, std::to_string(seconds.count()) + "s") +
                         " is out of range (1s to 1d, 86400 seconds)");
}

Result<void> read_timing(TableReader& dns, DnsSettings& settings) {
    WILDCERT_TRY(const auto wait, read_duration(dns, "propagation_wait"));
    settings.propagation_wait = wait.value_or(settings.propagation_wait);
    WILDCERT_TRY(const auto timeout, read_duration(dns, "propagation_timeout"));
    settings.propagation_timeout = timeout.value_or(settings.propagation_timeout);
    WILDCERT_TRY(const auto interval, read_duration(dns, "polling_interval"));
    if (interval && interval->count() == 0)
        return dns.error(dns.find("polling_interval")->position, "polling_interval",
                         "must be longer than 0");
    settings.polling_interval = interval.value_or(settings.polling_interval);
    WILDCERT_TRY(settings.ttl, read_ttl(dns, settings.ttl));
    return {};
}

// Every table under [dns] must belong to the chosen provider: a second provider's table is
// almost always a leftover that the user believes is in effect.
Result<ProviderConfig> read_provider(TableReader& dns, const Text& provider) {
    ProviderConfig config;
    config.name = provider.value;
    config.origin = origin(dns.context(), provider.position);
    for (const auto& entry : dns.entries()) {
        if (entry.value.kind != Node::Kind::table)
            continue;
        if (entry.key == provider.value)
            continue;
        const bool shown = !provider.interpolated && !is_environment_line(provider.position);
        // provider = "rfc-2136" beside [dns.rfc2136]: the provider line is the one to fix.
        if (shown && !common::closest_match(provider.value, {entry.key}).empty()) {
            return dns.error(provider.position, "provider",
                             provider.shown() + " does not name the table [dns." + entry.key +
                                 "] (line " + std::to_string(entry.value.position.line) + ")" +
                                 common::did_you_mean(provider.value, {entry.key}, "", '\''));
        }
        return dns.error(entry.value.position, entry.key,
                         "settings for provider \"" + entry.key + "\", but dns.provider is " +
                             (shown ? "\"" + provider.value + "\"" : provider.shown()));
    }
    const Node* table = dns.find(provider.value);
    if (table == nullptr)
        return config;
    if (table->kind != Node::Kind::table)
        return dns.wrong_type(*table, provider.value, "a table ([dns." + provider.value + "])");
    TableReader reader(dns.context(), *table, dns.key_path(provider.value));
    WILDCERT_TRY(ProviderConfig read, read_provider_table(reader, provider.value));
    config.settings = std::move(read.settings);
    return config;
}

} // namespace

Result<DnsSettings> read_dns_section(TableReader& dns) {
    DnsSettings settings;
    WILDCERT_TRY(const Text provider, dns.required_string("provider"));
    if (!is_provider_name(provider.value)) {
        return dns.error(provider.position, "provider",
                         provider.shown() +
                             " is not a provider name (lower-case letters, digits, '_', '-')");
    }
    WILDCERT_TRY(settings.resolvers, read_servers(dns, "resolvers"));
    WILDCERT_TRY(settings.nameservers, read_servers(dns, "nameservers"));
    WILDCERT_TRY(const std::optional<Text> discovery, dns.optional_string("discovery"));
    if (discovery) {
        if (discovery->value == "delegation")
            settings.discovery = DiscoveryMode::delegation;
        else if (discovery->value != "resolvers")
            return dns.error(discovery->position, "discovery",
                             discovery->shown() + " is not one of: resolvers, delegation");
    }
    WILDCERT_TRY(settings.root_servers, read_servers(dns, "root_servers"));
    WILDCERT_TRY(const auto check, read_propagation_check(dns));
    settings.propagation_check = check.value_or(settings.propagation_check);
    WILDCERT_TRY(const auto follow_cname, dns.optional_bool("follow_cname"));
    settings.follow_cname = follow_cname.value_or(settings.follow_cname);
    WILDCERT_CHECK(read_timing(dns, settings));
    WILDCERT_TRY(settings.provider, read_provider(dns, provider));
    WILDCERT_CHECK(dns.reject_unknown());
    return settings;
}

} // namespace wildcert::config
