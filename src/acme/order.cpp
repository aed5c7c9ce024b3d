#include "acme/order.hpp"

#include "acme/document_limits.hpp"
#include "acme/documents.hpp"
#include "common/printable.hpp"
#include "crypto/base64.hpp"
#include "crypto/digest.hpp"
#include "http/link_header.hpp"
#include "json/json.hpp"

#include <optional>

namespace wildcert::acme {
namespace {

// RFC 8555 §6.2: resources are application/json. Anything else (an HTML page from a proxy in
// front of the CA, say) is named instead of being parsed as JSON.
Result<void> expect_json(const http::Response& response, const std::string& context) {
    const auto type = response.header("content-type").value_or("");
    if (!type.empty() && type.rfind("application/json", 0) != 0) {
        return make_error(ErrorKind::acme, context + ": HTTP " + std::to_string(response.status) +
                                               " with Content-Type " + common::printable(type) +
                                               ", expected application/json");
    }
    return {};
}

std::optional<std::chrono::seconds> retry_after_of(const http::Response& response) {
    if (const auto retry = response.header("retry-after"))
        return parse_retry_after(*retry, std::chrono::system_clock::now());
    return std::nullopt;
}

Result<Order> read_order(const http::Response& response, std::string url,
                         const std::string& context) {
    WILDCERT_CHECK(expect_json(response, context));
    auto order = parse_order(response.body, std::move(url));
    if (!order.ok())
        return order.error().with_context(context);
    order->retry_after = retry_after_of(response);
    return order;
}

} // namespace

const Challenge* Authorization::challenge(std::string_view type) const {
    for (const auto& candidate : challenges) {
        if (candidate.type == type)
            return &candidate;
    }
    return nullptr;
}

std::optional<Problem> Authorization::error() const {
    for (const auto& candidate : challenges) {
        if (candidate.error)
            return candidate.error;
    }
    return std::nullopt;
}

Error authorization_failure(const Authorization& authorization, const std::string& name) {
    std::string message =
        "authorization for " + name + " is " + std::string(to_string(authorization.status));
    const auto problem = authorization.error();
    Error error = problem ? problem_error(message + ": " + problem->describe(), *problem)
                          : Error{ErrorKind::acme, message};
    if (error.identifier.empty())
        error.identifier = name;
    return error;
}

Result<OrderAttempt> try_new_order(AcmeClient& client, const NewOrder& request) {
    const auto& url = client.directory().new_order;
    json::Writer payload;
    payload.begin_object().key("identifiers").begin_array();
    for (const auto& name : request.names)
        payload.begin_object().key("type").string("dns").key("value").string(name).end_object();
    payload.end_array();
    if (!request.profile.empty())
        payload.key("profile").string(request.profile);
    if (!request.replaces.empty())
        payload.key("replaces").string(request.replaces);
    payload.end_object();

    const auto context = "new order at " + url;
    WILDCERT_TRY(const auto response, client.post(url, payload.str(), limits::k_order));
    if (auto refused = expect_success(response, context, client.directory().terms_of_service);
        !refused.ok()) {
        return OrderAttempt{.order = std::nullopt,
                            .refusal = problem_from_response(response),
                            .refusal_message = refused.error().message};
    }
    WILDCERT_TRY(auto location, location_url(response, context));
    WILDCERT_TRY(auto order, read_order(response, std::move(location), context));
    return OrderAttempt{.order = std::move(order), .refusal = std::nullopt, .refusal_message = {}};
}

Result<Order> new_order(AcmeClient& client, std::span<const std::string> names) {
    WILDCERT_TRY(auto attempt,
                 try_new_order(client, {.names = names, .profile = {}, .replaces = {}}));
    if (!attempt.order)
        return attempt.refusal ? problem_error(attempt.refusal_message, *attempt.refusal)
                               : make_error(ErrorKind::acme, attempt.refusal_message);
    return std::move(*attempt.order);
}

Result<Order> fetch_order(AcmeClient& client, const std::string& url) {
    const auto context = "order " + url;
    WILDCERT_TRY(const auto response, client.post_as_get(url, limits::k_order));
    WILDCERT_CHECK(expect_success(response, context, client.directory().terms_of_service));
    return read_order(response, url, context);
}

Result<Authorization> fetch_authorization(AcmeClient& client, const std::string& url) {
    const auto context = "authorization " + url;
    WILDCERT_TRY(const auto response, client.post_as_get(url, limits::k_authorization));
    WILDCERT_CHECK(expect_success(response, context));
    WILDCERT_CHECK(expect_json(response, context));
    auto authorization = parse_authorization(response.body, url);
    if (!authorization.ok())
        return authorization.error().with_context(context);
    authorization->retry_after = retry_after_of(response);
    return authorization;
}

Result<void> answer_challenge(AcmeClient& client, const std::string& url) {
    WILDCERT_TRY(const auto response, client.post(url, "{}", limits::k_challenge));
    return expect_success(response, "challenge " + url);
}

Result<Order> finalize_order(AcmeClient& client, const Order& order,
                             std::span<const std::uint8_t> csr_der) {
    const auto context = "order " + order.url + ": finalize";
    json::Writer payload;
    payload.begin_object().key("csr").string(crypto::base64url_encode(csr_der)).end_object();
    WILDCERT_TRY(const auto response, client.post(order.finalize, payload.str(), limits::k_order));
    WILDCERT_CHECK(expect_success(response, context));
    return read_order(response, order.url, context);
}

Result<std::string> download_certificate(AcmeClient& client, const std::string& url) {
    WILDCERT_TRY(auto chain, download_chain(client, url));
    return std::move(chain.pem);
}

Result<DownloadedChain> download_chain(AcmeClient& client, const std::string& url) {
    const auto context = "certificate " + url;
    WILDCERT_TRY(auto response, client.post_as_get(url, limits::k_certificate_chain,
                                                   "application/pem-certificate-chain"));
    WILDCERT_CHECK(expect_success(response, context));
    // The byte limit alone would let a chain of thousands of small certificates through.
    const auto count = count_pem_certificates(response.body);
    if (count > limits::k_max_chain_certificates) {
        return make_error(ErrorKind::acme, context + ": the chain holds " + std::to_string(count) +
                                               " certificates, more than the " +
                                               std::to_string(limits::k_max_chain_certificates) +
                                               " allowed");
    }
    DownloadedChain chain;
    chain.alternates = http::link_targets(response, "alternate", url);
    if (chain.alternates.size() > limits::k_max_alternate_chains)
        chain.alternates.resize(limits::k_max_alternate_chains);
    chain.pem = std::move(response.body);
    return chain;
}

std::size_t count_pem_certificates(std::string_view pem) {
    constexpr std::string_view k_begin = "-----BEGIN CERTIFICATE-----";
    std::size_t count = 0;
    for (auto at = pem.find(k_begin); at != std::string_view::npos;
         at = pem.find(k_begin, at + k_begin.size()))
        ++count;
    return count;
}

std::string dns01_txt_value(std::string_view token, std::string_view thumbprint) {
    std::string key_authorization(token);
    key_authorization += '.';
    key_authorization += thumbprint;
    return crypto::base64url_encode(crypto::sha256(key_authorization));
}

} // namespace wildcert::acme
