#pragma once
// Requests to the Cloudflare API v4: authentication headers, the JSON envelope
// {success, errors[], messages[], result, result_info}, HTTP 429 with Retry-After, and error
// messages that carry Cloudflare's codes plus a hint, never a secret.

#include "http/http_client.hpp"
#include "providers/cloudflare/cloudflare_settings.hpp"
#include "json/json.hpp"

#include <wildcert/result.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wildcert::providers::cloudflare {

// Error codes Cloudflare is known to send (no official list exists; see the research notes
// in shared/reference, §1.10).
inline constexpr std::int64_t k_code_record_exists = 81057;           // older wording
inline constexpr std::int64_t k_code_identical_record_exists = 81058; // current wording
inline constexpr std::int64_t k_code_record_does_not_exist = 81044;

// One entry of the envelope's `errors` array, with its `error_chain` flattened.
struct ApiError {
    std::int64_t code = 0;
    std::string message;
};

// One answer from the API, successful or not.
struct Reply {
    int status = 0;
    bool success = false;               // HTTP 2xx and "success": true
    std::optional<json::Document> body; // absent when the body was not JSON
    std::vector<ApiError> errors;       // server text, secrets already removed
    std::string body_excerpt;           // for non-JSON bodies, secrets removed

    [[nodiscard]] bool has_code(std::int64_t code) const;
};

using SleepFunction = std::function<void(std::chrono::milliseconds)>;
// Removes secrets from server-provided text.
using RedactFunction = std::function<std::string(std::string)>;

// Reads the envelope of one answer (HTTP `status`, `body`): success, the errors with their
// chains flattened and passed through `redact`, or an excerpt of a body that is not a JSON
// object. Any bytes give a Reply; Api::call uses this, and so does the fuzz target.
[[nodiscard]] Reply parse_reply(int status, std::string_view body, const RedactFunction& redact);

class Api {
public:
    // `sleep` waits before a retry after HTTP 429; empty means a real sleep that ends when
    // `cancelled` (may be empty) says so, and then the call fails as interrupted.
    Api(const Config& config, SleepFunction sleep, std::function<bool()> cancelled = {});

    // Sends one request to `path_and_query` (below api_url, e.g. "/zones?name=x"), JSON
    // `body` for POST. HTTP 429 is retried after Retry-After, at most k_max_retries times and
    // k_max_wait in total. Transport failures and a 429 past that bound are errors; every
    // other answer is a Reply for the caller to judge.
    [[nodiscard]] Result<Reply> call(std::string_view method, const std::string& path_and_query,
                                     std::string body = {});

    // The reply as a result: its body when it succeeded, else an ErrorKind::provider error
    // "<what>: HTTP 403: 10000 Authentication error; hint: ...".
    [[nodiscard]] Result<json::Document> expect_success(Reply reply, std::string_view what) const;

    // Removes every occurrence of a configured secret from server-provided text.
    [[nodiscard]] std::string redact(std::string text) const;

    static constexpr int k_max_retries = 5;
    static constexpr std::chrono::seconds k_max_wait{30};

private:
    [[nodiscard]] http::Request make_request(std::string_view method,
                                             const std::string& path_and_query,
                                             std::string body) const;
    [[nodiscard]] std::string hint(const Reply& reply) const;

    http::Client m_client;
    std::string m_api_url;
    Credentials m_credentials;
    SleepFunction m_sleep;
    std::function<bool()> m_cancelled;
};

// Ids go into URL paths: only letters and digits are accepted (Cloudflare's are 32 hex
// digits), so a server answer cannot redirect a request elsewhere.
[[nodiscard]] bool is_plain_id(std::string_view id);

// Percent-encodes a query parameter value (RFC 3986 §2.3: everything but unreserved).
[[nodiscard]] std::string query_escape(std::string_view value);

} // namespace wildcert::providers::cloudflare
