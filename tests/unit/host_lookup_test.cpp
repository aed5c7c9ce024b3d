// Host names looked up within a deadline (hardening issue item 7): what the lookup returns
// without asking anyone, what /etc/hosts answers, and the texts a failure is reported with.
// The resolver that never answers is the e2e test's (hostile_dns_test.sh), which can put its
// own resolv.conf in front of getaddrinfo.
#include "common/host_lookup.hpp"

#include <doctest/doctest.h>

#include <algorithm>

using namespace wildcert::common;
using namespace std::chrono_literals;

TEST_CASE("an IP literal is its own address and needs no lookup") {
    CHECK(is_ip_literal("127.0.0.1"));
    CHECK(is_ip_literal("::1"));
    CHECK(is_ip_literal("2001:db8::53"));
    CHECK_FALSE(is_ip_literal("localhost"));
    CHECK_FALSE(is_ip_literal("127.1")); // the resolver would read it its own way
    CHECK_FALSE(is_ip_literal("[::1]"));

    // A zero limit still answers: nothing is waited for.
    const auto v4 = lookup_host("192.0.2.7", 0ms);
    CHECK(v4.outcome == HostLookup::Outcome::found);
    CHECK(v4.addresses == std::vector<std::string>{"192.0.2.7"});
    const auto v6 = lookup_host("2001:db8::1", 0ms);
    CHECK(v6.addresses == std::vector<std::string>{"2001:db8::1"});
}

TEST_CASE("localhost resolves through /etc/hosts, each address once") {
    const auto lookup = lookup_host("localhost", 5s);
    REQUIRE(lookup.outcome == HostLookup::Outcome::found);
    CHECK(std::find(lookup.addresses.begin(), lookup.addresses.end(), "127.0.0.1") !=
          lookup.addresses.end());
    auto sorted = lookup.addresses;
    std::sort(sorted.begin(), sorted.end());
    CHECK(std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end());
    CHECK(describe_lookup_failure("localhost", lookup, 5s).empty());
}

TEST_CASE("failures say which: no such name, the resolver failed, no answer in time") {
    HostLookup missing{HostLookup::Outcome::no_such_name, {}, "Name or service not known"};
    CHECK(describe_lookup_failure("ca.example", missing, 2s) ==
          "cannot resolve host name \"ca.example\": Name or service not known");
    HostLookup failed{HostLookup::Outcome::failed, {}, "Temporary failure in name resolution"};
    CHECK(describe_lookup_failure("ca.example", failed, 2s) ==
          "cannot resolve host name \"ca.example\": Temporary failure in name resolution");
    HostLookup late{HostLookup::Outcome::timed_out, {}, {}};
    CHECK(describe_lookup_failure("ca.example", late, 2500ms) ==
          "no answer for host name \"ca.example\" within 2500ms from the system resolver (see "
          "/etc/resolv.conf)");
    // A name from a profile or the CA is printed escaped.
    CHECK(describe_lookup_failure("a\x1b[2Jb", late, 2s).find('\x1b') == std::string::npos);
}
