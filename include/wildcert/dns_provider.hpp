#pragma once
// The provider contract (ARCHITECTURE.md §3): providers know DNS, not ACME.

#include <wildcert/result.hpp>

#include <chrono>
#include <memory>
#include <span>
#include <string>

namespace wildcert {

struct TxtRecord {
    std::string zone;  // "example.com." as found by the core
    std::string fqdn;  // "_acme-challenge.example.com." (absolute, after CNAME following)
    std::string value; // 43 characters of base64url
    std::chrono::seconds ttl{60};

    friend bool operator==(const TxtRecord&, const TxtRecord&) = default;
};

class DnsProvider {
public:
    virtual ~DnsProvider() = default;
    // Adds each value to the TXT set at its name; never removes other values. Batched per zone.
    // Idempotent: adding a value that is already there is success.
    [[nodiscard]] virtual Result<void> add(std::span<const TxtRecord> records) = 0;
    // Removes exactly these values; a value that is already gone is not an error. Idempotent.
    [[nodiscard]] virtual Result<void> remove(std::span<const TxtRecord> records) = 0;
};

} // namespace wildcert
