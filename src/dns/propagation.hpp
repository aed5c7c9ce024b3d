#pragma once
// Waits until every authoritative server serves every expected TXT value.

#include "dns/discovery.hpp"

#include <wildcert/result.hpp>

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace wildcert::dns {

struct PropagationTarget {
    std::string fqdn;                         // absolute owner name
    std::vector<std::string> values;          // all must be served (others may be too)
    std::vector<AuthoritativeServer> servers; // each is asked directly, recursion off
};

struct PropagationOptions {
    std::chrono::milliseconds timeout{std::chrono::seconds(120)};
    std::chrono::milliseconds interval{std::chrono::seconds(2)};
    std::chrono::milliseconds query_timeout{std::chrono::seconds(2)};
    // Checked between rounds; returning true ends the wait with ErrorKind::interrupted.
    std::function<bool()> cancelled;
    // Progress lines for humans ("waiting for 2 of 4 server checks").
    std::function<void(std::string_view)> progress;
};

// Queries every (target, server) pair in each round, concurrently, until all serve all
// values; the first round starts immediately and a round that succeeds ends the wait at once.
// On timeout the ErrorKind::timeout message lists, per name, each server (name and address)
// that lacked a value, and what it answered instead (rcode, timeout, the values it had).
[[nodiscard]] Result<void> wait_for_propagation(const std::vector<PropagationTarget>& targets,
                                                const PropagationOptions& options);

} // namespace wildcert::dns
