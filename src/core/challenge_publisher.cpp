#include "core/challenge_publisher.hpp"

#include "core/propagation_wait.hpp"

#include <algorithm>
#include <set>

namespace wildcert::core {
namespace {

std::string zones_of(const std::vector<TxtRecord>& records) {
    std::set<std::string> zones;
    for (const auto& record : records)
        zones.insert(record.zone);
    std::string joined;
    for (const auto& zone : zones)
        joined += (joined.empty() ? "" : ", ") + zone;
    return joined;
}

} // namespace

Publication ChallengePublisher::publish(const std::vector<std::vector<TxtRecord>>& records) {
    auto publication = publish_by_zone(m_parts.provider, m_parts.journal, records, m_parts.events);
    std::vector<TxtRecord> published;
    for (std::size_t i = 0; i < records.size(); ++i) {
        if (!publication.failures[i])
            published.insert(published.end(), records[i].begin(), records[i].end());
    }
    if (!published.empty())
        m_parts.log.info("dns: published " + std::to_string(published.size()) +
                         " TXT record(s) in " + zones_of(published));
    return publication;
}

Result<void> ChallengePublisher::wait_until_served(const std::vector<TxtRecord>& records) {
    if (records.empty())
        return {};
    return core::wait_until_served(records, m_parts.dns, m_parts.discovery, m_parts.cancelled,
                                   m_parts.log);
}

std::vector<RecordRemoval> ChallengePublisher::clean_up(std::span<const TxtRecord> records) {
    if (records.empty())
        return {};
    auto outcomes = remove_by_zone(m_parts.provider, m_parts.journal, records, m_parts.events);
    const auto removed = std::count_if(outcomes.begin(), outcomes.end(),
                                       [](const RecordRemoval& o) { return !o.failure; });
    if (removed > 0)
        m_parts.log.info("dns: removed " + std::to_string(removed) + " TXT record(s)");
    if (const auto stuck = describe_stuck(outcomes); !stuck.empty())
        m_parts.log.info("dns: " + stuck + " (kept in " + m_parts.journal_dir.string() +
                         "; the next run retries)");
    return outcomes;
}

} // namespace wildcert::core
