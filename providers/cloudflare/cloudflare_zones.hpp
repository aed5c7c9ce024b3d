#pragma once
// Which Cloudflare zone holds a name: the configured zone_id, or the most specific zone found
// by walking the name's labels with GET /zones?name=<candidate>.

#include "providers/cloudflare/cloudflare_api.hpp"

#include <wildcert/result.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace wildcert::providers::cloudflare {

struct Zone {
    std::string id;
    std::string name; // lower case, no trailing dot
};

class ZoneFinder {
public:
    // `api` must outlive the finder.
    ZoneFinder(Api& api, std::string zone_id, std::string account_id);

    // The zone holding `fqdn` (absolute or not). Answers are cached for the finder's life, so
    // one run asks about each candidate name once.
    [[nodiscard]] Result<Zone> zone_for(std::string_view fqdn);

private:
    [[nodiscard]] Result<Zone> configured_zone();
    // The zone named exactly `candidate`, or an empty id when there is none.
    [[nodiscard]] Result<Zone> lookup(const std::string& candidate);

    Api& m_api;
    std::string m_zone_id;
    std::string m_account_id;
    std::map<std::string, Zone> m_by_name; // candidate -> zone (empty id: not a zone)
};

// The zone name in a successful "Zone Details" answer (lower case), nullopt when absent or
// empty. Any JSON gives an answer.
[[nodiscard]] std::optional<std::string> read_zone_name(const json::Document& body);

// The zone named exactly `candidate` in a successful "List Zones" answer: the active one when
// several share the name, a Zone with an empty id when none has it. Several active (or
// several inactive and no active) zones, or one with an unusable id, are errors.
[[nodiscard]] Result<Zone> choose_zone(const json::Document& body, const std::string& candidate);

// Lower case without the trailing dot: how Cloudflare writes names.
[[nodiscard]] std::string api_name(std::string_view fqdn);

} // namespace wildcert::providers::cloudflare
