#pragma once
// Whether a stored certificate is due for renewal, and why (ARCHITECTURE.md §6, renew).

#include <chrono>
#include <optional>
#include <string>

namespace wildcert {

struct RenewalDecision {
    bool due = false;
    std::chrono::system_clock::time_point renew_at; // when it becomes (or became) due
    std::string reason;                             // one line for the log
    bool from_ari = false;       // decided by the CA's ARI window (RFC 9773), not the lifetime
    std::string explanation_url; // ARI explanationURL, to show the operator (RFC 9773 §4.2)
    // ARI: when to ask the CA again (Retry-After clamped to [1 min, 1 day], §4.3).
    std::optional<std::chrono::seconds> check_again_in;
};

} // namespace wildcert
