#include "sigv4_verify.hpp"

#include "providers/route53/sigv4.hpp"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <map>

namespace wildcert::fakes::route53 {
namespace sigv4 = providers::route53::sigv4;
namespace {

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

std::string trim(std::string_view text) {
    while (!text.empty() && text.front() == ' ')
        text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ')
        text.remove_suffix(1);
    return std::string(text);
}

std::vector<std::string> split(std::string_view text, char separator) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto end = std::min(text.find(separator, start), text.size());
        parts.push_back(std::string(text.substr(start, end - start)));
        start = end + 1;
    }
    return parts;
}

std::vector<std::string> header_values(const Received& request, const std::string& name) {
    std::vector<std::string> values;
    for (const auto& [key, value] : request.headers) {
        if (lower(key) == name)
            values.push_back(value);
    }
    return values;
}

AuthFailure incomplete(const std::string& message) {
    return AuthFailure{400, "IncompleteSignature", message};
}

AuthFailure mismatch(const std::string& message) {
    return AuthFailure{403, "SignatureDoesNotMatch", message};
}

} // namespace

std::optional<std::chrono::system_clock::time_point> parse_amz_date(const std::string& text) {
    if (text.size() != 16 || text[8] != 'T' || text[15] != 'Z')
        return std::nullopt;
    std::tm utc{};
    if (strptime(text.c_str(), "%Y%m%dT%H%M%SZ", &utc) == nullptr)
        return std::nullopt;
    return std::chrono::system_clock::from_time_t(timegm(&utc));
}

std::optional<AuthFailure> verify_sigv4(const Received& request, const Expected& expected,
                                        std::chrono::system_clock::time_point now) {
    const auto authorizations = header_values(request, "authorization");
    if (authorizations.empty())
        return AuthFailure{403, "MissingAuthenticationToken", "Missing Authentication Token"};
    const std::string& authorization = authorizations.front();
    const std::string prefix = std::string(sigv4::k_algorithm) + " ";
    if (!authorization.starts_with(prefix))
        return incomplete("Authorization header requires the AWS4-HMAC-SHA256 algorithm.");

    std::map<std::string, std::string> fields;
    for (const auto& part : split(authorization.substr(prefix.size()), ',')) {
        const auto item = trim(part);
        const auto equals = item.find('=');
        if (equals != std::string::npos)
            fields[item.substr(0, equals)] = item.substr(equals + 1);
    }
    for (const char* field : {"Credential", "SignedHeaders", "Signature"}) {
        if (!fields.contains(field))
            return incomplete(std::string("Authorization header requires '") + field +
                              "' parameter. Authorization=" + sigv4::k_algorithm.data());
    }

    const auto scope = split(fields["Credential"], '/');
    if (scope.size() != 5 || scope[4] != "aws4_request")
        return incomplete("Credential must have exactly 5 slash-delimited elements, e.g. "
                          "keyid/date/region/service/term");
    if (scope[0] != expected.access_key_id)
        return AuthFailure{403, "InvalidClientTokenId",
                           "The security token included in the request is invalid."};
    if (scope[2] != expected.region)
        return mismatch("Credential should be scoped to a valid region.");
    if (scope[3] != expected.service)
        return mismatch("Credential should be scoped to correct service: '" + expected.service +
                        "'.");

    const auto dates = header_values(request, "x-amz-date");
    if (dates.empty())
        return incomplete("Authorization header requires existence of either a 'X-Amz-Date' or "
                          "a 'Date' header.");
    const auto signed_at = parse_amz_date(dates.front());
    if (!signed_at)
        return incomplete("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
    if (scope[1] != dates.front().substr(0, 8))
        return mismatch("Date in Credential scope does not match YYYYMMDD from ISO-8601 version "
                        "of date from HTTP: '" +
                        scope[1] + "' != '" + dates.front().substr(0, 8) + "', from '" +
                        dates.front() + "'.");
    if (*signed_at < now - k_max_clock_skew)
        return mismatch("Signature expired: " + dates.front() + " is now earlier than " +
                        sigv4::format_amz_date(now - k_max_clock_skew) + " (" +
                        sigv4::format_amz_date(now) + " - 5 min.)");
    if (*signed_at > now + k_max_clock_skew)
        return mismatch("Signature not yet current: " + dates.front() + " is still later than " +
                        sigv4::format_amz_date(now + k_max_clock_skew) + " (" +
                        sigv4::format_amz_date(now) + " + 5 min.)");

    // Temporary credentials are only valid with their token; the token may be signed or, as
    // in the suite's post-sts-header-after case, added after signing.
    const auto tokens = header_values(request, "x-amz-security-token");
    if (!expected.session_token.empty() &&
        (tokens.empty() || !sigv4::same_signature(tokens.front(), expected.session_token)))
        return AuthFailure{403, "InvalidClientTokenId",
                           "The security token included in the request is invalid."};
    if (expected.session_token.empty() && !tokens.empty())
        return AuthFailure{403, "InvalidClientTokenId",
                           "The security token included in the request is invalid."};

    const auto signed_names = split(fields["SignedHeaders"], ';');
    for (const char* required : {"host", "x-amz-date"}) {
        if (std::find(signed_names.begin(), signed_names.end(), required) == signed_names.end())
            return mismatch(std::string("'") + required + "' must be a signed header.");
    }
    sigv4::Request canonical{request.method, request.target, {}, request.body};
    for (const auto& name : signed_names) {
        if (name != lower(name))
            return mismatch("SignedHeaders must be lower case.");
        const auto values = header_values(request, name);
        if (values.empty())
            return mismatch("Signed header '" + name + "' is not in the request.");
        for (const auto& value : values)
            canonical.headers.emplace_back(name, value);
    }
    const auto computed = sigv4::sign(canonical, expected.access_key_id, expected.secret_access_key,
                                      dates.front(), expected.region, expected.service);
    if (!sigv4::same_signature(computed.signature, fields["Signature"]))
        return mismatch("The request signature we calculated does not match the signature you "
                        "provided. Check your AWS Secret Access Key and signing method. Consult "
                        "the service documentation for details.");
    return std::nullopt;
}

} // namespace wildcert::fakes::route53
