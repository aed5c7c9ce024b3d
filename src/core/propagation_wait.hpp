#pragma once
// Stage wait of the pipeline (docs/dev/architecture.md §2): until every authoritative server
// address serves every record, then dns.propagation_wait. Given only what it needs, so it can
// be driven alone.

#include "core/progress_log.hpp"
#include "dns/discovery.hpp"

#include <wildcert/dns_provider.hpp>
#include <wildcert/profile.hpp>
#include <wildcert/result.hpp>

#include <functional>
#include <vector>

namespace wildcert::core {

// One propagation loop over every record (a lagging server is waited for once), as
// dns.propagation_check says; ErrorKind::timeout naming the servers that lag, or
// ErrorKind::interrupted as soon as `cancelled` says so.
[[nodiscard]] Result<void> wait_until_served(const std::vector<TxtRecord>& records,
                                             const DnsSettings& dns, dns::Discovery& discovery,
                                             const std::function<bool()>& cancelled,
                                             const ProgressLog& log);

} // namespace wildcert::core
