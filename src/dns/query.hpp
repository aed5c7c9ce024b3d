#pragma once
// Single DNS questions to one server, through ldns.

#include "dns/server_address.hpp"

#include <wildcert/result.hpp>

#include <chrono>
#include <string>
#include <vector>

namespace wildcert::dns {

struct TxtAnswer {
    int rcode = 0;                   // 0 NOERROR, 3 NXDOMAIN, 5 REFUSED, ...
    bool authoritative = false;      // AA bit
    std::vector<std::string> values; // TXT RRs at the name (character-strings joined)
};

// Asks `server` for TXT at `fqdn` with recursion desired off, UDP with TCP fallback on
// truncation. A transport failure (timeout, connection refused) is an ErrorKind::dns error
// naming the server; a DNS rcode is a successful answer with that rcode.
[[nodiscard]] Result<TxtAnswer> query_txt(const ServerAddress& server, const std::string& fqdn,
                                          std::chrono::milliseconds timeout);

} // namespace wildcert::dns
