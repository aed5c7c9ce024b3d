#pragma once
// CAA (RFC 8659) with the ACME parameters of RFC 8657: which CAA record set governs a name,
// and whether it lets a given CA issue for it through dns-01. For `wildcert check`; the CA
// itself decides at issuance, so this is a forecast, not the enforcement.

#include "dns/server_address.hpp"

#include <wildcert/result.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace wildcert::dns {

namespace detail {
class Asker;
}

// RFC 8659 §4.1: one CAA resource record.
struct CaaRecord {
    std::uint8_t flags = 0; // bit 0 (value 128) is Issuer Critical
    std::string tag;        // as served; compared case-insensitively
    std::string value;

    // "0 issue \"ca.example\"" for messages.
    [[nodiscard]] std::string to_string() const;
};

// RFC 8659 §3: the relevant RRset and where it was found.
struct CaaSet {
    std::string owner; // absolute name where the set was found; "" when no name has one
    std::vector<CaaRecord> records;
};

class CaaLookup {
public:
    // `resolvers` are recursive resolvers (not empty); `asker` null: the network.
    CaaLookup(std::vector<ServerAddress> resolvers, std::chrono::milliseconds query_timeout,
              std::shared_ptr<const detail::Asker> asker = nullptr);

    // RelevantCAASet (RFC 8659 §3) for `domain` ("example.com" or "*.example.com", which both
    // start at example.com): CAA at the name, then at each parent up to but not including the
    // root; the first non-empty set wins. CNAMEs are followed as a normal lookup does. A name
    // that no resolver answers for (silence, SERVFAIL) is an ErrorKind::dns error: the CA may
    // refuse then (RFC 8659 §5.4), so it cannot be called "no CAA".
    [[nodiscard]] Result<CaaSet> relevant_set(std::string_view domain) const;

private:
    // The CAA records at `name` after following its CNAME chain; empty when there are none.
    [[nodiscard]] Result<std::vector<CaaRecord>> records_at(const std::string& name) const;

    std::vector<ServerAddress> m_resolvers;
    std::chrono::milliseconds m_query_timeout;
    std::shared_ptr<const detail::Asker> m_asker;
};

enum class CaaOutcome {
    allowed,   // the set lets the CA issue
    uncertain, // allowed only under a condition we cannot check (e.g. accounturi, no identity)
    forbidden, // the CA must refuse (RFC 8659 §4.2-4.3, RFC 8657 §3-4)
};

struct CaaVerdict {
    CaaOutcome outcome = CaaOutcome::allowed;
    std::string detail; // one line: which record decided, and why
};

// What the CA is known as and which account asks.
struct CaaIssuer {
    std::vector<std::string> identities; // issuer domain names (RFC 8659 §4.2); may be empty
    std::string account_url;             // the stored ACME account URL; "" when unknown
};

// Judges `set` for `domain` ("*.x" is a wildcard request): issuewild governs wildcards when
// the set has any (RFC 8659 §4.3), else issue; an empty or malformed issuer forbids; a critical
// property with a tag we do not know forbids (§4.1); validationmethods must list dns-01 and
// accounturi must be the account's URL when present (RFC 8657 §4, §3).
[[nodiscard]] CaaVerdict evaluate_caa(const CaaSet& set, std::string_view domain,
                                      const CaaIssuer& issuer);

} // namespace wildcert::dns
