#include "providers/cloudflare/cloudflare_zones.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

namespace wildcert::providers::cloudflare {
namespace {

bool is_within(std::string_view name, std::string_view zone) {
    if (name == zone)
        return true;
    return name.size() > zone.size() && name.substr(name.size() - zone.size()) == zone &&
           name[name.size() - zone.size() - 1] == '.';
}

// "a.b.example.com" -> "a.b.example.com", "b.example.com", "example.com". A bare TLD is never
// asked for: it cannot be a Cloudflare zone, and a scoped token gets 403 for it (cert-manager
// docs, "Cloudflare").
std::vector<std::string> candidates(const std::string& name) {
    std::vector<std::string> out;
    for (std::size_t at = 0; at != std::string::npos;) {
        const std::string_view rest = std::string_view(name).substr(at);
        if (rest.find('.') == std::string_view::npos)
            break;
        out.emplace_back(rest);
        const auto dot = name.find('.', at);
        at = dot == std::string::npos ? dot : dot + 1;
    }
    return out;
}

} // namespace

std::string api_name(std::string_view fqdn) {
    std::string name(fqdn);
    while (!name.empty() && name.back() == '.')
        name.pop_back();
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return name;
}

std::optional<std::string> read_zone_name(const json::Document& body) {
    const auto result = body.root().member("result");
    const auto name = result ? result->string_member("name") : std::nullopt;
    if (!name || name->empty())
        return std::nullopt;
    return api_name(*name);
}

Result<Zone> choose_zone(const json::Document& body, const std::string& candidate) {
    std::vector<Zone> exact;
    std::vector<Zone> active;
    for (const auto& item : body.root().array_member("result")) {
        const auto id = item.string_member("id").value_or("");
        const auto name = api_name(item.string_member("name").value_or(""));
        if (name != candidate)
            continue;
        if (!is_plain_id(id))
            return make_error(ErrorKind::provider,
                              "find zone " + candidate + ": the answer has no usable zone id");
        exact.push_back(Zone{id, name});
        if (item.string_member("status").value_or("") == "active")
            active.push_back(exact.back());
    }
    // The same name can exist in several accounts (e.g. a pending copy); an active zone is
    // the one that serves DNS.
    const auto& chosen = active.empty() ? exact : active;
    if (chosen.size() > 1)
        return make_error(ErrorKind::provider,
                          "find zone " + candidate + ": " + std::to_string(chosen.size()) +
                              " zones have this name; set account_id or zone_id");
    return chosen.empty() ? Zone{{}, candidate} : chosen.front();
}

ZoneFinder::ZoneFinder(Api& api, std::string zone_id, std::string account_id)
    : m_api(api), m_zone_id(std::move(zone_id)), m_account_id(std::move(account_id)) {}

Result<Zone> ZoneFinder::zone_for(std::string_view fqdn) {
    const auto name = api_name(fqdn);
    if (!m_zone_id.empty()) {
        WILDCERT_TRY(const auto zone, configured_zone());
        if (!is_within(name, zone.name))
            return make_error(ErrorKind::provider, name + " is not in zone " + zone.name +
                                                       " (zone_id " + zone.id +
                                                       "); fix zone_id or leave it out");
        return zone;
    }
    // The most specific zone wins: Cloudflare may host a subdomain as its own zone, so the
    // zone the core found in public DNS is not asked first.
    for (const auto& candidate : candidates(name)) {
        WILDCERT_TRY(const auto zone, lookup(candidate));
        if (!zone.id.empty())
            return zone;
    }
    return make_error(ErrorKind::provider,
                      "no Cloudflare zone holds " + name +
                          (m_account_id.empty() ? std::string() : " in account " + m_account_id) +
                          "; check that the zone is in this account and the API token may "
                          "read it (Zone:Zone:Read), or set zone_id");
}

// GET /zones/{zone_id} (API v4 "Zone Details"): its name tells which records belong to it.
Result<Zone> ZoneFinder::configured_zone() {
    if (const auto found = m_by_name.find(""); found != m_by_name.end())
        return found->second;
    WILDCERT_TRY(auto reply, m_api.call("GET", "/zones/" + m_zone_id));
    WILDCERT_TRY(const auto body, m_api.expect_success(std::move(reply), "get zone " + m_zone_id));
    const auto name = read_zone_name(body);
    if (!name)
        return make_error(ErrorKind::provider,
                          "get zone " + m_zone_id + ": no zone name in the answer");
    Zone zone{m_zone_id, *name};
    m_by_name.emplace("", zone);
    return zone;
}

// GET /zones?name=<candidate>[&account.id=<id>] (API v4 "List Zones"; the name filter is an
// exact, case-insensitive match). No match is an empty list, not an error.
Result<Zone> ZoneFinder::lookup(const std::string& candidate) {
    if (const auto found = m_by_name.find(candidate); found != m_by_name.end())
        return found->second;
    std::string query = "/zones?name=" + query_escape(candidate);
    if (!m_account_id.empty())
        query += "&account.id=" + query_escape(m_account_id);
    WILDCERT_TRY(auto reply, m_api.call("GET", query));
    WILDCERT_TRY(const auto body, m_api.expect_success(std::move(reply), "find zone " + candidate));

    WILDCERT_TRY(auto zone, choose_zone(body, candidate));
    m_by_name.emplace(candidate, zone);
    return zone;
}

} // namespace wildcert::providers::cloudflare
