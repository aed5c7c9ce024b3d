#pragma once
// Single DNS questions to one server, as the propagation check asks them.

#include "dns/server_address.hpp"

#include <wildcert/result.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace wildcert::dns {

namespace detail {
class Asker;
}

struct TxtAnswer {
    int rcode = 0;                   // 0 NOERROR, 3 NXDOMAIN, 5 REFUSED, ...
    bool authoritative = false;      // AA bit
    std::vector<std::string> values; // TXT RRs at the name (character-strings joined)
};

// Asks `server` for TXT at `fqdn`, recursion desired only when `recursive` (a resolver, not an
// authoritative server). A transport failure (timeout, connection refused) is an
// ErrorKind::dns error naming the server; a DNS rcode is a successful answer with that rcode.
[[nodiscard]] Result<TxtAnswer> query_txt(const detail::Asker& asker, const ServerAddress& server,
                                          const std::string& fqdn, bool recursive,
                                          std::chrono::milliseconds timeout);

// The SOA serial `server` serves for `zone` (RFC 1035 §3.3.13), recursion off; nullopt when it
// answers without the zone's SOA (lame, refused, not loaded).
[[nodiscard]] Result<std::optional<std::uint32_t>>
query_soa_serial(const detail::Asker& asker, const ServerAddress& server, const std::string& zone,
                 std::chrono::milliseconds timeout);

} // namespace wildcert::dns
