#pragma once
// Steps every lookup through the resolvers shares: discovery (SOA, NS, CNAME) and the CAA
// climb. Internal to src/dns (exposes ldns types).

#include "dns/asker.hpp"
#include "dns/server_address.hpp"

#include <chrono>
#include <string>
#include <vector>

namespace wildcert::dns::detail {

// The first usable reply (NOERROR or NXDOMAIN) from the resolvers, in order; SERVFAIL,
// REFUSED and silence move on to the next one. Fails naming every resolver's problem:
// ErrorKind::network when none replied at all, ErrorKind::dns when one answered with an error.
[[nodiscard]] Result<PacketPtr> ask_resolvers(const Asker& asker,
                                              const std::vector<ServerAddress>& resolvers,
                                              const std::string& name, ldns_rr_type type,
                                              std::chrono::milliseconds timeout);

// "a.b.example." -> "b.example."; "example." -> "."
[[nodiscard]] std::string parent_of(const std::string& name);

} // namespace wildcert::dns::detail
