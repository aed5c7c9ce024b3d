#pragma once
// The challenge publisher part (docs/dev/architecture.md, "The parts"): the issuance stages
// publish, wait and clean up, given only the provider, the cleanup journal, the [dns]
// settings, the name-server discovery and the log. Every record it adds is journaled first;
// what it cannot remove stays in the journal for the next run.

#include "core/progress_log.hpp"
#include "core/record_publishing.hpp"
#include "dns/discovery.hpp"
#include "store/journal.hpp"

#include <wildcert/dns_provider.hpp>
#include <wildcert/profile.hpp>
#include <wildcert/result.hpp>

#include <filesystem>
#include <functional>
#include <span>
#include <vector>

namespace wildcert::core {

class ChallengePublisher {
public:
    struct Parts {
        DnsProvider& provider;
        store::CleanupJournal& journal;
        const DnsSettings& dns;
        dns::Discovery& discovery;
        const ProgressLog& log;
        std::function<bool()> cancelled;
        RecordEvents events;               // audit and progress per provider call
        std::filesystem::path journal_dir; // named when a record is left for the next run
    };
    explicit ChallengePublisher(Parts parts) : m_parts(std::move(parts)) {}

    // Stage publish: `records[i]` are certificate i's records, one add per zone
    // (publish_by_zone); the failures say which certificates a refused zone stopped.
    [[nodiscard]] Publication publish(const std::vector<std::vector<TxtRecord>>& records);

    // Stage wait: until every authoritative server of each zone serves `records`
    // (propagation_wait.hpp), or the [dns] timeout, or cancellation.
    [[nodiscard]] Result<void> wait_until_served(const std::vector<TxtRecord>& records);

    // Stage clean up: removes `records` zone by zone; returns one outcome per record and logs
    // what was removed and what stays in the journal.
    std::vector<RecordRemoval> clean_up(std::span<const TxtRecord> records);

private:
    Parts m_parts;
};

} // namespace wildcert::core
