#pragma once
// One event of the audit trail (audit.hpp): what the parts that change something report, and
// how it is written. Never a secret.

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace wildcert::core {

// Every member has a default, so call sites name only what they know.
struct AuditEvent {
    std::string event{};
    std::string certificate{}; // "" for account events
    std::vector<std::string> names{};
    std::string serial_hex{};
    std::optional<std::chrono::system_clock::time_point> not_after{};
    bool ok = true;
    std::string detail{};
    // deploy events: which target of which deployer, how long it took, and (verified) the
    // SHA-256 of the leaf each endpoint served.
    std::string deployer{};
    std::string target{};
    std::optional<std::chrono::milliseconds> elapsed{};
    std::vector<std::pair<std::string, std::string>> served{};
};

// The event as one JSON line (without the newline).
[[nodiscard]] std::string audit_line(const AuditEvent& event);

// How a part hands its events on (to audit(), or to a test).
using AuditSink = std::function<void(const AuditEvent&)>;

} // namespace wildcert::core
