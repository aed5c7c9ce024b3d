#pragma once
// The TXT set at one name, for APIs that replace a whole record set at once (Route 53's
// UPSERT, PowerDNS's REPLACE; Google, Azure and Gandi work the same way). Values are kept in
// presentation format, as these APIs show them; a challenge value is one quoted character
// string. Adding merges, removing leaves every other value (another run's, a foreign
// verification record) exactly as it was.

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace wildcert::providers::txt_set {

// One double-quoted character string, '"' and '\' escaped (RFC 1035 §5.1). An ACME value (43
// base64url characters) needs no escapes.
[[nodiscard]] std::string quote(std::string_view value);

struct Merged {
    std::vector<std::string> values; // the whole set to write; empty: delete the set
    bool changed = false;            // false: nothing to write (already there or already gone)
};

// `current` with each of `values` (unquoted) added once, current values first, in order.
[[nodiscard]] Merged with_values(std::vector<std::string> current,
                                 std::span<const std::string> values);
// `current` without `values` (unquoted); every other value kept as it was.
[[nodiscard]] Merged without_values(const std::vector<std::string>& current,
                                    std::span<const std::string> values);

} // namespace wildcert::providers::txt_set
