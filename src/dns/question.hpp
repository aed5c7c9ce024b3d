#pragma once
// One DNS question to one server, the building block of query.cpp and discovery.cpp.
// Internal to src/dns (exposes ldns types).

#include "dns/ldns_handles.hpp"

#include <chrono>
#include <string_view>
#include <vector>

namespace wildcert::dns::detail {

// Asks `server` for `type` at `name` over UDP, again over TCP when the reply is truncated.
// A reply with any rcode is a value; no reply (timeout, connection refused, garbage, a reply
// to another question) is an ErrorKind::dns error naming the server.
[[nodiscard]] Result<PacketPtr> ask(const ServerAddress& server, std::string_view name,
                                    ldns_rr_type type, bool recursion_desired,
                                    std::chrono::milliseconds timeout);

// The query ask() sends (random id, class IN, RD as asked).
[[nodiscard]] Result<PacketPtr> make_query(std::string_view name, ldns_rr_type type,
                                           bool recursion_desired);

// Whether `reply` answers `query`: same id, QR set, and the same single question
// (RFC 5452 §4.2). ask() treats anything else on the socket as no answer.
[[nodiscard]] bool answers(const ldns_pkt* reply, const ldns_pkt* query);

// The RRs of `type` owned by `owner` (compared case-insensitively) in `list`.
[[nodiscard]] std::vector<const ldns_rr*> records_at(const ldns_rr_list* list,
                                                     const ldns_rdf* owner, ldns_rr_type type);

// "TXT", "SOA", ...
[[nodiscard]] std::string type_name(ldns_rr_type type);

} // namespace wildcert::dns::detail
