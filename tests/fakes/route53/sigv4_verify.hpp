#pragma once
// The fake's side of SigV4: rebuilds the canonical request from what arrived (raw target,
// received headers, body) and checks it the way AWS does, with AWS's error codes and texts
// (reference §2.7, §2.11 item 2).

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace wildcert::fakes::route53 {

struct Received {
    std::string method;
    std::string target; // raw request target: path and query as sent
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
};

struct Expected {
    std::string access_key_id;
    std::string secret_access_key;
    std::string session_token; // "" when long-term keys are expected
    std::string region;
    std::string service;
};

struct AuthFailure {
    int status = 403;
    std::string code;
    std::string message;
};

// Route 53 accepts X-Amz-Date within 5 minutes of its clock.
inline constexpr std::chrono::minutes k_max_clock_skew{5};

[[nodiscard]] std::optional<AuthFailure> verify_sigv4(const Received& request,
                                                      const Expected& expected,
                                                      std::chrono::system_clock::time_point now);

// "20150830T123600Z" -> time point; nullopt when malformed.
[[nodiscard]] std::optional<std::chrono::system_clock::time_point>
parse_amz_date(const std::string& text);

} // namespace wildcert::fakes::route53
