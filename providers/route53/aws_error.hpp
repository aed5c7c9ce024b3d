#pragma once
// Route 53 error documents. Two shapes exist (reference §2.7): the REST-XML
// <ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>, and a bare
// <InvalidChangeBatch><Messages><Message/>...</Messages><RequestId/></InvalidChangeBatch> that
// ChangeResourceRecordSets may return instead.

#include <optional>
#include <string>
#include <string_view>

namespace wildcert::providers::route53 {

struct AwsError {
    std::string type; // "Sender" or "Receiver"; may be empty
    std::string code; // "Throttling", "InvalidChangeBatch", ...
    std::string message;
    std::string request_id;
};

// The error in a response body, or nullopt when the body is not one of the two shapes.
[[nodiscard]] std::optional<AwsError> parse_aws_error(std::string_view body);

// Errors worth sending again after a pause: the account-wide rate limit and a change that
// is still being applied to the same zone.
[[nodiscard]] bool is_retryable(const AwsError& error);

// What the user should do about an authentication or permission error; "" for others.
[[nodiscard]] std::string_view hint_for(std::string_view code);

} // namespace wildcert::providers::route53
