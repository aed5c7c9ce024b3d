#pragma once
// PowerDNS Authoritative through its HTTP API: each challenge value is merged into the TXT
// RRset at its name (REPLACE writes the whole set, so the set is read first), one PATCH per
// zone; removal writes back what remains, or deletes the set when nothing does.

#include "providers/descriptor.hpp"

namespace wildcert::providers::powerdns {

// Settings: api_url, api_key, server_id, ttl, allow_plain_http, ca_bundle, request_timeout.
extern const ProviderDescriptor k_descriptor;

} // namespace wildcert::providers::powerdns
