#pragma once
// Endpoint verification: after a deploy, does the endpoint serve the new certificate? The
// served leaf is compared with the new one by the SHA-256 of its DER, retrying with backoff
// while a reload takes effect. Also what `wildcert probe` shows.

#include <wildcert/profile.hpp>
#include <wildcert/result.hpp>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace wildcert::deployers {

struct ServedCertificate {
    std::string sha256_hex;
    std::string subject;
    std::string serial_hex;
    std::vector<std::string> dns_names;
    std::chrono::system_clock::time_point not_after;
};

// What `endpoint` serves now; `default_sni` is sent when the endpoint names no sni.
[[nodiscard]] Result<ServedCertificate>
probe_endpoint(const VerifyEndpoint& endpoint, const std::string& default_sni,
               std::chrono::steady_clock::time_point deadline);

struct VerifyOutcome {
    bool ok = false;
    std::string failure;    // "" when ok: names the endpoint and what it serves
    std::string served_sha; // the last leaf seen ("" when none was)
};

// Asks `endpoint` until it serves the leaf whose DER has SHA-256 `expected_sha256`, or
// `timeout` passes, or `cancelled` says so.
[[nodiscard]] VerifyOutcome verify_endpoint(const VerifyEndpoint& endpoint,
                                            const std::string& expected_sha256,
                                            const std::string& default_sni,
                                            std::chrono::milliseconds timeout,
                                            const std::function<bool()>& cancelled);

// "127.0.0.1:8443 (sni www.example.com)", for messages and reports.
[[nodiscard]] std::string endpoint_name(const VerifyEndpoint& endpoint,
                                        const std::string& default_sni);

} // namespace wildcert::deployers
