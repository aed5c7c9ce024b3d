#pragma once
// Host names resolved within a deadline. getaddrinfo cannot be interrupted: it follows
// /etc/resolv.conf's own limits (5 s x 2 attempts per nameserver by default, up to 30 s x 5
// when configured so), which would outlast every deadline wildcert promises for an exchange.
// The lookup runs on a thread of its own; at the deadline the caller stops waiting and the
// thread is left to finish (and free what it holds) whenever the resolver gives up.

#include <chrono>
#include <string>
#include <vector>

namespace wildcert::common {

struct HostLookup {
    enum class Outcome {
        found,        // `addresses` holds at least one address
        no_such_name, // the name (or an address of the asked family) does not exist
        failed,       // the resolver failed (unreachable, SERVFAIL, out of memory)
        timed_out,    // no answer within the limit
    };
    Outcome outcome = Outcome::failed;
    // Numeric addresses without brackets, in getaddrinfo's order (RFC 6724: the one most
    // likely to work first), each once.
    std::vector<std::string> addresses;
    // gai_strerror's text for no_such_name and failed; empty otherwise.
    std::string reason;
};

// True when `host` is an IPv4 dotted quad or an IPv6 literal (without brackets): such a host
// needs no lookup.
[[nodiscard]] bool is_ip_literal(const std::string& host);

// The IPv4 and IPv6 addresses of `host`, waiting at most `limit`. An IP literal is returned
// as it is, without a lookup.
[[nodiscard]] HostLookup lookup_host(const std::string& host, std::chrono::milliseconds limit);

// "cannot resolve host name \"ca.example\": Name or service not known",
// "no answer for host name \"ca.example\" within 2s from the system resolver (see
// /etc/resolv.conf)". `host` is made printable; empty for `found`.
[[nodiscard]] std::string describe_lookup_failure(const std::string& host, const HostLookup& lookup,
                                                  std::chrono::milliseconds limit);

} // namespace wildcert::common
