#pragma once
// The unsigned RFC 2136 UPDATE message add_txt/remove_txt send, exposed as wire bytes so that
// tests can check the record classes without a server.

#include "dns/update.hpp"

#include <wildcert/result.hpp>

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace wildcert::dns {

enum class UpdateAction {
    add,    // RFC 2136 §2.5.1: class IN, the record's TTL (adds to the RRset)
    remove, // RFC 2136 §2.5.4: class NONE, TTL 0 (deletes exactly that RR)
    // Both, one after the other for each change: the update section is applied in order
    // (RFC 2136 §3.4.2) and as a whole (§3.7), so the zone ends as it was (probe_txt_update).
    add_and_remove,
};

// Wire form (RFC 1035 §4.1) of the UPDATE for `zone` with one update-section RR per change,
// before TSIG is added; the id is 0.
[[nodiscard]] Result<std::vector<std::uint8_t>>
update_wire(std::string_view zone, std::span<const TxtChange> changes, UpdateAction action);

} // namespace wildcert::dns
