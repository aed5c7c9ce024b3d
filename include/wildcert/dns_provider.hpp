#pragma once
// The provider contract (docs/dev/architecture.md §3): providers know DNS, not ACME.

#include <wildcert/result.hpp>

#include <chrono>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace wildcert {

struct TxtRecord {
    std::string zone;  // "example.com." as found by the core
    std::string fqdn;  // "_acme-challenge.example.com." (absolute, after CNAME following)
    std::string value; // 43 characters of base64url
    std::chrono::seconds ttl{60};

    friend bool operator==(const TxtRecord&, const TxtRecord&) = default;
};

// What DnsProvider::check_access found out, without changing any record.
struct AccessCheck {
    bool verified = false;   // false: this provider cannot tell without changing records
    std::string description; // one line for `wildcert check`; never a secret
};

// What DnsProvider::check_permission found out about one owner name.
struct PermissionCheck {
    bool probed = false;     // false: this provider cannot tell without keeping a change
    std::string description; // one line for `wildcert check`; never a secret
};

class DnsProvider {
public:
    virtual ~DnsProvider() = default;
    // Adds each value to the TXT set at its name; never removes other values. Batched per zone.
    // Idempotent: adding a value that is already there is success. An ErrorKind::refused
    // error promises that none of `records` was added (the server refused the change as a
    // whole, e.g. RFC 2136 REFUSED or NOTAUTH): the core then forgets them instead of trying
    // to remove them on every later run. Any other error means "some may have been added".
    [[nodiscard]] virtual Result<void> add(std::span<const TxtRecord> records) = 0;
    // Removes exactly these values; a value that is already gone is not an error. Idempotent.
    [[nodiscard]] virtual Result<void> remove(std::span<const TxtRecord> records) = 0;
    // Proves that the credentials would let add() and remove() work in `zones` (absolute,
    // as the core found them) without changing anything: a rejected credential is an error
    // that says so. Idempotent. The default verifies nothing and says why.
    [[nodiscard]] virtual Result<AccessCheck> check_access(std::span<const std::string> zones) {
        static_cast<void>(zones);
        return AccessCheck{false, "this provider cannot be checked without changing records"};
    }
    // Proves that add() and remove() may change the TXT set at the owner name of each record
    // (its zone and fqdn; each value is a fresh random one that nobody publishes) and leaves
    // every zone's content as it was. One result per record, in order: an error is a refusal
    // for that name, its message naming the cause and the fix. Idempotent. The default probes
    // nothing and says so.
    [[nodiscard]] virtual std::vector<Result<PermissionCheck>>
    check_permission(std::span<const TxtRecord> records) {
        return std::vector<Result<PermissionCheck>>(
            records.size(),
            PermissionCheck{false, "not probed: this provider cannot tell without changing "
                                   "records; the first issuance shows it"});
    }
};

} // namespace wildcert
