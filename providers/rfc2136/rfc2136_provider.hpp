#pragma once
// RFC 2136 dynamic updates signed with TSIG (RFC 8945), e.g. to BIND, Knot or PowerDNS.

#include "providers/descriptor.hpp"

namespace wildcert::providers::rfc2136 {

// Settings: server, tsig_key, tsig_algorithm, tsig_secret, timeout.
extern const ProviderDescriptor k_descriptor;

} // namespace wildcert::providers::rfc2136
