#pragma once
// Adding and removing challenge TXT records zone by zone, with the cleanup journal: a zone the
// provider refuses fails only the certificates with names in it, a refused add leaves nothing
// in the journal, and a record that cannot be removed holds up nothing but itself.

#include "store/journal.hpp"

#include <wildcert/client.hpp>
#include <wildcert/dns_provider.hpp>
#include <wildcert/result.hpp>

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace wildcert::core {

// What the publishing steps tell the caller (audit log, progress lines). Either may be empty.
struct RecordEvents {
    // After each provider call: "records-added" or "records-removed", its records, its result.
    std::function<void(const char* event, std::span<const TxtRecord>, const Result<void>&)> changed;
    std::function<void(const std::string&)> info;
};

struct Publication {
    std::vector<std::optional<Error>> failures; // per certificate, in the order given
    // Every record that may now be at the provider (journaled and not refused): what the
    // caller removes when the challenges are done.
    std::vector<TxtRecord> added;
};

// Publishes `records[i]`, the records of certificate i, one add per zone, each journaled
// first. A zone the provider refuses as a whole (ErrorKind::refused) is struck from the
// journal again and, when it holds records of several certificates, added once more one
// certificate at a time: an update-policy that covers one certificate's names then lets that
// certificate go on while the others fail with the provider's reason. A failed zone fails the
// certificates with records in it; a certificate that failed is left out of later zones.
[[nodiscard]] Publication publish_by_zone(DnsProvider& provider, store::CleanupJournal& journal,
                                          const std::vector<std::vector<TxtRecord>>& records,
                                          const RecordEvents& events);

// Removes `records` with one remove per zone; a zone whose removal is refused
// (ErrorKind::refused) is tried again one record at a time. Removed records are struck from the
// journal; the others stay there for a later run. One outcome per distinct record, in the order
// given.
[[nodiscard]] std::vector<RecordRemoval> remove_by_zone(DnsProvider& provider,
                                                        store::CleanupJournal& journal,
                                                        std::span<const TxtRecord> records,
                                                        const RecordEvents& events);

// "" when every record was removed, else one line naming each stuck record and why.
[[nodiscard]] std::string describe_stuck(const std::vector<RecordRemoval>& outcomes);

// `_acme-challenge.x.example. TXT "value" (zone example.)`, for messages.
[[nodiscard]] std::string describe_record(const TxtRecord& record);

} // namespace wildcert::core
