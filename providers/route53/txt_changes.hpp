#pragma once
// How a TXT set changes when challenge values come and go. A Route 53 TXT set holds every
// value at a name, and UPSERT replaces the whole set, so values are merged (reference §2.5):
// add = UPSERT the union; remove = UPSERT what remains, or DELETE the exact current set (its
// TTL and every value, as Route 53 requires) when nothing remains.

#include "providers/route53/api.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wildcert::providers::route53 {

// A TXT value as Route 53 stores it: one double-quoted character string, '"' and '\'
// escaped (RFC 1035 §5.1). An ACME value (43 base64url characters) needs no escapes.
[[nodiscard]] std::string quote_txt(std::string_view value);

// nullopt when every value is already in `current`.
[[nodiscard]] std::optional<RecordChange> plan_add(const std::optional<TxtSet>& current,
                                                   const std::string& fqdn,
                                                   const std::vector<std::string>& values,
                                                   std::chrono::seconds ttl);

// nullopt when none of the values is in `current` (already removed).
[[nodiscard]] std::optional<RecordChange> plan_remove(const std::optional<TxtSet>& current,
                                                      const std::vector<std::string>& values);

} // namespace wildcert::providers::route53
