#pragma once
// Owning handles for ldns objects and the plumbing shared by queries and updates. Internal to
// src/dns: the only place that includes ldns.

#include "dns/server_address.hpp"

#include <wildcert/result.hpp>

// The standard headers come first: ldns defines `false` and `true` as macros for C, which
// breaks <optional>'s operator<=> when it is included after ldns.
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <ldns/ldns.h>

namespace wildcert::dns::detail {

struct PacketDeleter {
    void operator()(ldns_pkt* packet) const { ldns_pkt_free(packet); }
};
struct RrDeleter {
    void operator()(ldns_rr* rr) const { ldns_rr_free(rr); }
};
struct RrListDeleter {
    void operator()(ldns_rr_list* list) const { ldns_rr_list_deep_free(list); }
};
struct RdfDeleter {
    void operator()(ldns_rdf* rdf) const { ldns_rdf_deep_free(rdf); }
};
struct BufferDeleter {
    void operator()(ldns_buffer* buffer) const { ldns_buffer_free(buffer); }
};
// ldns hands out malloc'ed strings (ldns_rdf2str and friends).
struct MallocDeleter {
    void operator()(char* text) const { std::free(text); }
};

using PacketPtr = std::unique_ptr<ldns_pkt, PacketDeleter>;
using RrPtr = std::unique_ptr<ldns_rr, RrDeleter>;
using RrListPtr = std::unique_ptr<ldns_rr_list, RrListDeleter>;
using RdfPtr = std::unique_ptr<ldns_rdf, RdfDeleter>;
using BufferPtr = std::unique_ptr<ldns_buffer, BufferDeleter>;
using CStringPtr = std::unique_ptr<char, MallocDeleter>;

// "example.com" -> "example.com." (lower case); "." stays ".".
[[nodiscard]] std::string absolute_name(std::string_view name);

// A domain name rdf from text; the error names the text.
[[nodiscard]] Result<RdfPtr> make_dname(std::string_view name);

// The presentation form of a name rdf, lower case, with trailing dot.
[[nodiscard]] std::string dname_to_string(const ldns_rdf* dname);

// The wire form of `packet` (RFC 1035 §4), TSIG record included when it has one.
[[nodiscard]] Result<std::vector<std::uint8_t>> to_wire(const ldns_pkt* packet);

// `wire` decoded as a DNS message; the error says that it is not one.
[[nodiscard]] Result<PacketPtr> from_wire(std::span<const std::uint8_t> wire);

} // namespace wildcert::dns::detail
