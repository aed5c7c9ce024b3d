#include "core/dns_access.hpp"

#include <map>
#include <set>

namespace wildcert::core {
namespace {

// The zones that the records of `certificate` go to (what plan_challenges will find too).
Result<std::set<std::string>> zones_of(const CertificateSettings& certificate, ZoneFinder& zones) {
    std::set<std::string> found;
    for (const auto& domain : certificate.domains) {
        WILDCERT_TRY(const auto owner, record_owner(certificate, without_wildcard(domain), zones));
        auto zone = zones.zone_of(owner);
        if (!zone.ok())
            return zone.error().with_context("zone of " + owner);
        found.insert(std::move(zone).value());
    }
    return found;
}

} // namespace

std::vector<std::optional<Error>>
check_dns_access(Client::State& state, const std::vector<CertificateSettings>& certificates,
                 ZoneFinder& zones) {
    std::vector<std::optional<Error>> failures(certificates.size());
    std::map<std::string, std::vector<std::size_t>> certificates_by_zone;
    for (std::size_t i = 0; i < certificates.size(); ++i) {
        auto found = zones_of(certificates[i], zones);
        if (!found.ok()) {
            failures[i] = found.error();
            continue;
        }
        for (const auto& zone : *found)
            certificates_by_zone[zone].push_back(i);
    }
    for (const auto& [zone, which] : certificates_by_zone) {
        const std::vector<std::string> one{zone};
        const auto access = state.provider->check_access(one);
        if (access.ok()) {
            state.debug("dns: " + access->description);
            continue;
        }
        for (const auto i : which) {
            if (!failures[i])
                failures[i] = access.error();
        }
    }
    return failures;
}

} // namespace wildcert::core
