#include "providers/route53/aws_error.hpp"

#include "providers/route53/xml.hpp"

namespace wildcert::providers::route53 {

std::optional<AwsError> parse_aws_error(std::string_view body) {
    auto document = xml::parse(body);
    if (!document)
        return std::nullopt;
    const xml::Element& root = document.value();
    if (root.name == "ErrorResponse" || root.name == "Error") {
        const xml::Element* error = root.name == "Error" ? &root : root.child("Error");
        if (error == nullptr)
            return std::nullopt;
        AwsError result{error->child_text("Type"), error->child_text("Code"),
                        error->child_text("Message"), root.child_text("RequestId")};
        // moto, and some AWS services, spell it <message>.
        if (result.message.empty())
            result.message = error->child_text("message");
        if (result.code.empty())
            return std::nullopt;
        return result;
    }
    if (root.name == "InvalidChangeBatch") {
        AwsError result{"Sender", "InvalidChangeBatch", {}, root.child_text("RequestId")};
        if (const xml::Element* messages = root.child("Messages")) {
            for (const xml::Element* message : messages->children_named("Message"))
                result.message += (result.message.empty() ? "" : "; ") + message->text;
        }
        if (result.message.empty())
            result.message = root.child_text("Message");
        return result;
    }
    return std::nullopt;
}

bool is_retryable(const AwsError& error) {
    return error.code == "Throttling" || error.code == "ThrottlingException" ||
           error.code == "PriorRequestNotComplete";
}

std::string_view hint_for(std::string_view code) {
    if (code == "SignatureDoesNotMatch")
        return "check the secret access key (secret_access_key, AWS_SECRET_ACCESS_KEY or the "
               "shared credentials file) and that the system clock is within 5 minutes of UTC";
    if (code == "InvalidClientTokenId" || code == "UnrecognizedClientException")
        return "the access key id is unknown, or temporary credentials are used without their "
               "session token (session_token or AWS_SESSION_TOKEN)";
    if (code == "ExpiredToken" || code == "RequestExpired")
        return "the temporary credentials have expired; obtain new ones";
    if (code == "IncompleteSignature" || code == "MissingAuthenticationToken")
        return "the request was not signed completely; check the credentials settings";
    if (code == "AccessDenied" || code == "AccessDeniedException")
        return "the IAM policy must allow route53:ListHostedZonesByName, "
               "route53:ListResourceRecordSets, route53:ChangeResourceRecordSets and "
               "route53:GetChange";
    return {};
}

} // namespace wildcert::providers::route53
