#pragma once
// What `wildcert check` (Client::check) reports: whether issuing would work, found out
// without placing an order and without changing any DNS record.

#include <string>
#include <vector>

namespace wildcert {

enum class CheckStatus {
    ok,
    warning, // could not be confirmed, or may fail; issuing is still worth a try
    failed,  // issuing would fail for this reason
};

// "ok", "warning", "failed"
[[nodiscard]] const char* to_string(CheckStatus status);

struct CheckItem {
    std::string subject; // what was checked: "provider rfc2136", "caa *.example.com", ...
    CheckStatus status = CheckStatus::ok;
    std::string detail; // one line; never a secret
};

struct PreflightReport {
    std::vector<CheckItem> checks; // in the order they were made

    // No check failed (warnings allowed).
    [[nodiscard]] bool ok() const {
        for (const auto& check : checks) {
            if (check.status == CheckStatus::failed)
                return false;
        }
        return true;
    }
};

} // namespace wildcert
