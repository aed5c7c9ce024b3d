#pragma once
// AWS Signature Version 4, header form (AWS General Reference, "Signature Version 4 signing
// process", tasks 1-4), written on crypto/digest.hpp. Used by the Route 53 provider to sign and
// by the Route 53 fake to verify; proven against every case in tests/vectors/sigv4/ (origin
// and licence in its README).

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wildcert::providers::route53::sigv4 {

inline constexpr std::string_view k_algorithm = "AWS4-HMAC-SHA256";

struct Credentials {
    std::string access_key_id;
    std::string secret_access_key; // a secret: never in messages
    std::string session_token;     // a secret; empty for long-term keys
};

// A request as it goes on the wire. Every header given here is signed, so a caller passes
// exactly the headers it wants covered (host and x-amz-date at least).
struct Request {
    std::string method;
    std::string target; // path and query as sent: "/2013-04-01/change/C1?x=1"
    std::vector<std::pair<std::string, std::string>> headers;
    std::string payload;
};

struct Scope {
    std::string date;    // YYYYMMDD, the first 8 characters of the X-Amz-Date
    std::string region;  // "us-east-1" for Route 53 in the aws partition
    std::string service; // "route53"

    // "20150830/us-east-1/route53/aws4_request"
    [[nodiscard]] std::string str() const;
};

struct Signature {
    std::string canonical_request;
    std::string string_to_sign;
    std::string signed_headers; // "content-type;host;x-amz-date"
    std::string signature;      // lower-case hex
    std::string authorization;  // the Authorization header value
};

// Task 1 pieces, exposed for the tests and the fake.
// The path is normalized (RFC 3986 §5.2.4 dot segments, repeated slashes) and every byte
// outside the unreserved set is %XX-encoded; a '%' already on the wire is encoded again, as
// non-S3 services do.
[[nodiscard]] std::string canonical_uri(std::string_view path);
// Decodes each name and value, re-encodes them with the unreserved set, sorts by name then
// value; "a" and "a=" both become "a=".
[[nodiscard]] std::string canonical_query(std::string_view query);
// RFC 3986 §2.3 unreserved characters stay, everything else becomes %XX (upper-case hex).
[[nodiscard]] std::string uri_encode(std::string_view text);

// "20150830T123600Z"
[[nodiscard]] std::string format_amz_date(std::chrono::system_clock::time_point time);

// kSigning = HMAC chain over "AWS4" + secret, date, region, service, "aws4_request" (task 3).
[[nodiscard]] std::vector<std::uint8_t> signing_key(std::string_view secret_access_key,
                                                    const Scope& scope);

// Signs `request` (tasks 1-4). `amz_date` must be the X-Amz-Date value among the headers.
[[nodiscard]] Signature sign(const Request& request, std::string_view access_key_id,
                             std::string_view secret_access_key, std::string_view amz_date,
                             std::string_view region, std::string_view service);

// Constant-time comparison of two hex signatures, for the verifying side.
[[nodiscard]] bool same_signature(std::string_view a, std::string_view b);

} // namespace wildcert::providers::route53::sigv4
