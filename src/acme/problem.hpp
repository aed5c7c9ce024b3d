#pragma once
// ACME problem documents (RFC 8555 §6.7, RFC 7807).

#include "http/http_client.hpp"

#include <wildcert/result.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wildcert::acme {

// RFC 8555 §6.7 error types (prefix "urn:ietf:params:acme:error:").
namespace problem_type {
inline constexpr std::string_view k_prefix = "urn:ietf:params:acme:error:";
inline constexpr std::string_view k_bad_nonce = "badNonce";
inline constexpr std::string_view k_already_revoked = "alreadyRevoked";
inline constexpr std::string_view k_bad_revocation_reason = "badRevocationReason";
inline constexpr std::string_view k_account_does_not_exist = "accountDoesNotExist";
inline constexpr std::string_view k_agreement_required = "agreementRequired";
inline constexpr std::string_view k_external_account_required = "externalAccountRequired";
inline constexpr std::string_view k_rate_limited = "rateLimited";
inline constexpr std::string_view k_order_not_ready = "orderNotReady";
inline constexpr std::string_view k_server_internal = "serverInternal";
inline constexpr std::string_view k_unauthorized = "unauthorized";
inline constexpr std::string_view k_user_action_required = "userActionRequired";
inline constexpr std::string_view k_compound = "compound";
inline constexpr std::string_view k_already_replaced = "alreadyReplaced"; // RFC 9773 §7.4
inline constexpr std::string_view k_invalid_profile = "invalidProfile";   // profiles draft §6
} // namespace problem_type

struct Problem {
    std::string type;       // full URI as sent
    std::string detail;     // server's human text
    int status = 0;         // HTTP status (from the document, else the response)
    std::string identifier; // subproblem identifier value, when given
    std::string instance;   // RFC 7807 instance (userActionRequired: the page to visit)
    std::vector<Problem> subproblems;
    std::optional<std::chrono::seconds> retry_after;

    // "badNonce" for ACME URNs, the whole URI otherwise.
    [[nodiscard]] std::string short_type() const;
    [[nodiscard]] bool is(std::string_view acme_type) const;
    // "unauthorized: Correct value not found for DNS challenge [example.com: ...]"
    [[nodiscard]] std::string describe() const;
};

// An ErrorKind::acme error with `message` that carries what a caller branches on: the
// problem's short type, its identifier (else the first subproblem's) and its Retry-After.
[[nodiscard]] Error problem_error(std::string message, const Problem& problem);

// Reads the problem document of an error response; when the body is not one, describes the
// HTTP status and content type instead.
[[nodiscard]] Problem problem_from_response(const http::Response& response);
// Whether the body is a JSON object (a problem document or an ACME resource), not a web page.
[[nodiscard]] bool body_is_json_object(const http::Response& response);
// Reads an embedded problem (order/authorization/challenge "error" member), as JSON text.
[[nodiscard]] std::optional<Problem> problem_from_json(std::string_view json_text);

// Retry-After as delta-seconds or HTTP-date (RFC 9110 §10.2.3), relative to `now`.
[[nodiscard]] std::optional<std::chrono::seconds>
parse_retry_after(std::string_view value, std::chrono::system_clock::time_point now);

} // namespace wildcert::acme
