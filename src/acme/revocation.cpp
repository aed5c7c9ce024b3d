#include "acme/revocation.hpp"

#include "acme/document_limits.hpp"
#include "acme/problem.hpp"
#include "crypto/base64.hpp"
#include "json/json.hpp"

namespace wildcert::acme {

Result<void> revoke_certificate(AcmeClient& client, std::span<const std::uint8_t> der,
                                std::optional<int> reason) {
    const auto& url = client.directory().revoke_cert;
    const auto context = "revoke at " + url;
    if (url.empty())
        return make_error(ErrorKind::acme, "the CA's directory has no revokeCert URL");
    json::Writer payload;
    payload.begin_object().key("certificate").string(crypto::base64url_encode(der));
    if (reason)
        payload.key("reason").integer(*reason);
    payload.end_object();
    WILDCERT_TRY(const auto response, client.post(url, payload.str(), limits::k_revocation));
    if (response.status >= 200 && response.status < 300)
        return {};
    const auto problem = problem_from_response(response);
    if (problem.is(problem_type::k_already_revoked))
        return problem_error(
            context + ": the certificate is already revoked (" + problem.detail + ")", problem);
    if (problem.is(problem_type::k_bad_revocation_reason))
        return problem_error(
            context + ": the CA does not accept this reason: " + problem.describe(), problem);
    return problem_error(context + ": " + problem.describe(), problem);
}

} // namespace wildcert::acme
