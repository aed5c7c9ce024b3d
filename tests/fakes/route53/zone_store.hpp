#pragma once
// The state of the Route 53 fake: hosted zones and their record sets, with the rules the real
// service enforces on ChangeResourceRecordSets (reference §2.5, §2.11): atomic batches,
// CREATE of an existing set refused, DELETE only of the exact current set, UPSERT replacing
// the set, names inside the zone, TXT values as quoted character strings.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wildcert::fakes::route53 {

struct RecordSet {
    std::string name; // lower case, absolute ("_acme-challenge.example.com.")
    std::string type; // "TXT"
    std::int64_t ttl = 0;
    std::vector<std::string> values; // as given: "\"abc\""
};

struct Zone {
    std::string id;   // "Z0000000000001"
    std::string name; // "example.com."
    bool private_zone = false;
    // Ordered as Route 53 lists them: by name with the labels reversed, then by type.
    std::map<std::pair<std::string, std::string>, RecordSet> sets;
};

struct Change {
    std::string action; // CREATE, DELETE, UPSERT
    RecordSet set;
};

// What one accepted TXT change did to one name, for mirroring into a real DNS server.
struct TxtDelta {
    std::string name;
    std::int64_t ttl = 0;
    std::vector<std::string> added;   // unquoted TXT strings
    std::vector<std::string> removed; // unquoted TXT strings
};

// "www.example.com." -> "com.example.www" (the order Route 53 sorts names in).
[[nodiscard]] std::string reversed_labels(std::string_view name);
// Lower case with a trailing dot.
[[nodiscard]] std::string absolute_name(std::string_view name);
// Route 53 writes characters outside [a-z0-9-_.] as \ooo ("*" -> "\052") in responses.
[[nodiscard]] std::string escape_name(std::string_view name);

// A TXT value: one or more double-quoted strings of at most 255 bytes separated by spaces
// (RFC 1035 §3.3.14). Returns the unquoted strings joined, or nullopt when malformed.
[[nodiscard]] std::optional<std::string> unquote_txt(std::string_view value,
                                                     std::string* why = nullptr);

class ZoneStore {
public:
    // Adds a zone with the SOA and NS sets every hosted zone starts with; returns its id.
    std::string add_zone(std::string_view name, bool private_zone);

    [[nodiscard]] const Zone* zone(std::string_view id) const;
    [[nodiscard]] Zone* zone(std::string_view id);
    // Zones in ListHostedZonesByName order.
    [[nodiscard]] std::vector<const Zone*> zones_by_name() const;

    // Validates and applies one batch to `zone`: all changes or none. Returns the
    // InvalidChangeBatch messages (empty on success) and fills `deltas` when applied.
    [[nodiscard]] std::vector<std::string> apply(Zone& zone, const std::vector<Change>& changes,
                                                 std::vector<TxtDelta>& deltas);

private:
    std::map<std::string, Zone> m_zones; // by id
    int m_next_id = 1;
};

} // namespace wildcert::fakes::route53
