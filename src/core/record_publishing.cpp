#include "core/record_publishing.hpp"

#include <algorithm>
#include <map>

namespace wildcert::core {
namespace {

bool contains(const std::vector<TxtRecord>& records, const TxtRecord& record) {
    return std::find(records.begin(), records.end(), record) != records.end();
}

void append_unique(std::vector<TxtRecord>& into, std::span<const TxtRecord> records) {
    for (const auto& record : records) {
        if (!contains(into, record))
            into.push_back(record);
    }
}

void changed(const RecordEvents& events, const char* event, std::span<const TxtRecord> records,
             const Result<void>& result) {
    if (events.changed)
        events.changed(event, records, result);
}

std::string owners_text(std::span<const TxtRecord> records) {
    std::vector<std::string> owners;
    for (const auto& record : records) {
        if (std::find(owners.begin(), owners.end(), record.fqdn) == owners.end())
            owners.push_back(record.fqdn);
    }
    std::string text;
    for (const auto& owner : owners)
        text += (text.empty() ? "" : ", ") + owner;
    return text;
}

// Journal, then add. `added` collects what may now be at the provider; a refusal withdraws
// from the journal what no earlier call of this run added.
Result<void> add_journaled(DnsProvider& provider, store::CleanupJournal& journal,
                           const std::vector<TxtRecord>& records, const RecordEvents& events,
                           std::vector<TxtRecord>& added) {
    const std::string what =
        "adding " + owners_text(records) + " (zone " + records.front().zone + ")";
    if (auto recorded = journal.record(records); !recorded.ok())
        return recorded.error().with_context(what);
    const auto result = provider.add(records);
    changed(events, "records-added", records, result);
    if (result.ok() || result.error().kind != ErrorKind::refused) {
        append_unique(added, records);
        return result.ok() ? result : result.error().with_context(what);
    }
    std::vector<TxtRecord> never_added;
    for (const auto& record : records) {
        if (!contains(added, record))
            never_added.push_back(record);
    }
    if (auto withdrawn = journal.withdraw(never_added); !withdrawn.ok()) {
        // Still journaled: a later run tries to remove them, which is harmless.
        append_unique(added, never_added);
        if (events.info)
            events.info("dns: " + withdrawn.error().message);
    }
    return result.error().with_context(what);
}

// The records of the certificates `which` in `zone`, without duplicates.
std::vector<TxtRecord> records_in(const std::vector<std::vector<TxtRecord>>& records,
                                  const std::vector<std::size_t>& which, const std::string& zone) {
    std::vector<TxtRecord> found;
    for (const auto i : which) {
        for (const auto& record : records[i]) {
            if (record.zone == zone && !contains(found, record))
                found.push_back(record);
        }
    }
    return found;
}

} // namespace

std::string describe_record(const TxtRecord& record) {
    return record.fqdn + " TXT \"" + record.value + "\" (zone " + record.zone + ")";
}

Publication publish_by_zone(DnsProvider& provider, store::CleanupJournal& journal,
                            const std::vector<std::vector<TxtRecord>>& records,
                            const RecordEvents& events) {
    Publication out;
    out.failures.resize(records.size());
    std::map<std::string, std::vector<std::size_t>> certificates_by_zone;
    for (std::size_t i = 0; i < records.size(); ++i) {
        for (const auto& record : records[i]) {
            auto& certificates = certificates_by_zone[record.zone];
            if (std::find(certificates.begin(), certificates.end(), i) == certificates.end())
                certificates.push_back(i);
        }
    }
    for (auto& [zone, all] : certificates_by_zone) {
        std::vector<std::size_t> open;
        std::copy_if(all.begin(), all.end(), std::back_inserter(open),
                     [&](std::size_t i) { return !out.failures[i]; });
        if (open.empty())
            continue;
        const auto result =
            add_journaled(provider, journal, records_in(records, open, zone), events, out.added);
        if (result.ok())
            continue;
        if (result.error().kind != ErrorKind::refused || open.size() < 2) {
            for (const auto i : open)
                out.failures[i] = result.error();
            continue;
        }
        if (events.info)
            events.info("dns: the provider refused the records of " + std::to_string(open.size()) +
                        " certificates in " + zone +
                        " as a whole; adding each certificate's on "
                        "its own");
        for (const auto i : open) {
            const auto own =
                add_journaled(provider, journal, records_in(records, {i}, zone), events, out.added);
            if (!own.ok())
                out.failures[i] = own.error();
        }
    }
    return out;
}

std::vector<RecordRemoval> remove_by_zone(DnsProvider& provider, store::CleanupJournal& journal,
                                          std::span<const TxtRecord> records,
                                          const RecordEvents& events) {
    std::vector<RecordRemoval> outcomes;
    std::map<std::string, std::vector<TxtRecord>> by_zone;
    for (const auto& record : records) {
        const bool seen = std::any_of(outcomes.begin(), outcomes.end(), [&](const auto& outcome) {
            return outcome.record == record;
        });
        if (seen)
            continue;
        outcomes.push_back({record, std::nullopt});
        by_zone[record.zone].push_back(record);
    }
    const auto fail = [&outcomes](const TxtRecord& record, const Error& error) {
        for (auto& outcome : outcomes) {
            if (outcome.record == record)
                outcome.failure = error;
        }
    };
    for (const auto& [zone, batch] : by_zone) {
        const auto result = provider.remove(batch);
        changed(events, "records-removed", batch, result);
        if (result.ok())
            continue;
        if (batch.size() == 1 || result.error().kind != ErrorKind::refused) {
            // A timeout or a lost connection is not about one record: no retry one by one.
            for (const auto& record : batch)
                fail(record, result.error());
            continue;
        }
        // A refusal may be about one record (an update-policy): one at a time, so that one
        // stuck record does not keep the others of its zone.
        for (const auto& record : batch) {
            const std::span<const TxtRecord> one(&record, 1);
            const auto alone = provider.remove(one);
            changed(events, "records-removed", one, alone);
            if (!alone.ok())
                fail(record, alone.error());
        }
    }
    std::vector<TxtRecord> removed;
    for (const auto& outcome : outcomes) {
        if (!outcome.failure)
            removed.push_back(outcome.record);
    }
    if (removed.empty())
        return outcomes;
    if (auto forgotten = journal.forget(removed); !forgotten.ok()) {
        // Removed from DNS but still journaled: the next run removes them again (idempotent).
        for (const auto& record : removed)
            fail(record, forgotten.error().with_context("removed, but still in the journal"));
    }
    return outcomes;
}

std::string describe_stuck(const std::vector<RecordRemoval>& outcomes) {
    std::string text;
    std::size_t stuck = 0;
    for (const auto& outcome : outcomes) {
        if (!outcome.failure)
            continue;
        ++stuck;
        text += (text.empty() ? "" : "; ") + describe_record(outcome.record) + ": " +
                outcome.failure->message;
    }
    if (stuck == 0)
        return {};
    return std::to_string(stuck) + " record(s) could not be removed: " + text;
}

} // namespace wildcert::core
