#pragma once
// Waits until every authoritative server serves every expected TXT value.

#include "dns/discovery.hpp"

#include <wildcert/result.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace wildcert::dns {

struct PropagationTarget {
    std::string fqdn;                         // absolute owner name
    std::string zone;                         // its zone apex, for SOA serials in reports
    std::vector<std::string> values;          // all must be served (others may be too)
    std::vector<AuthoritativeServer> servers; // each is asked directly, recursion off
};

// A (name, server) check that does not pass yet, for progress reports.
struct PendingCheck {
    std::string fqdn;    // "_acme-challenge.example.com."
    std::string server;  // "ns2.example.com. (192.0.2.2:53)"
    std::string problem; // "missing 1 of 2 values (has 0 TXT records): \"...\""
};

// Where a wait stands: sent after each round that leaves checks open, and once a second
// while the wait pauses between rounds (a countdown).
struct PropagationProgress {
    std::size_t served = 0; // checks that pass
    std::size_t total = 0;
    std::vector<PendingCheck> pending;
    std::chrono::milliseconds left{0}; // until the timeout
    bool round_ended = false;          // false for a countdown tick between rounds
};

struct PropagationOptions {
    std::chrono::milliseconds timeout{std::chrono::seconds(120)};
    std::chrono::milliseconds interval{std::chrono::seconds(2)};
    std::chrono::milliseconds query_timeout{std::chrono::seconds(2)};
    // Checked between rounds; returning true ends the wait with ErrorKind::interrupted.
    std::function<bool()> cancelled;
    // Where the wait stands, for a status line (may be empty).
    std::function<void(const PropagationProgress&)> progress;
    // Null: the network. Unit tests answer from tables.
    std::shared_ptr<const detail::Asker> asker;
};

// What a successful wait cost: the figures the benchmark prints.
struct PropagationStats {
    std::size_t rounds = 0;  // polling rounds, 1 when everything was there at once
    std::size_t checks = 0;  // (name, server address) checks over all rounds
    std::size_t queries = 0; // DNS questions sent (0 when the checks were injected)
    std::chrono::milliseconds elapsed{0};
};

// Queries every (target, server) pair in each round, concurrently, until all serve all
// values; the first round starts immediately and a round that succeeds ends the wait at once.
// The wait ends by `timeout` plus one `query_timeout` whatever a round is doing: no question
// is sent after that, and none waits past it.
// An authoritative server must answer with the AA bit (else it is lame); a recursive one is
// asked with recursion desired. On timeout the ErrorKind::timeout message lists, per name,
// each server (name and address) that lacked a value, what it answered instead (rcode,
// timeout, lame, the values it had) and the SOA serial each server of the zone is at.
[[nodiscard]] Result<PropagationStats>
wait_for_propagation(const std::vector<PropagationTarget>& targets,
                     const PropagationOptions& options);

} // namespace wildcert::dns
