#include "acme/order.hpp"

#include "crypto/base64.hpp"
#include "crypto/digest.hpp"
#include "http/link_header.hpp"
#include "json/json.hpp"

namespace wildcert::acme {
namespace {

Result<json::Document> parse_body(const http::Response& response, const std::string& context) {
    // RFC 8555 §6.2: resources are application/json. Anything else (an HTML page from a proxy
    // in front of the CA, say) is named instead of being parsed as JSON.
    const auto type = response.header("content-type").value_or("");
    if (!type.empty() && type.rfind("application/json", 0) != 0) {
        return make_error(ErrorKind::acme, context + ": HTTP " + std::to_string(response.status) +
                                               " with Content-Type " + type +
                                               ", expected application/json");
    }
    auto document = json::Document::parse(response.body);
    if (!document.ok())
        return document.error().with_context(context);
    if (!document->root().is_object())
        return make_error(ErrorKind::acme, context + ": expected a JSON object");
    return document;
}

std::optional<Problem> embedded_problem(const json::Value& object) {
    if (const auto error = object.member("error"); error && error->is_object())
        return problem_from_json(error->serialize());
    return std::nullopt;
}

Result<Order> read_order(const http::Response& response, std::string url,
                         const std::string& context) {
    WILDCERT_TRY(const auto document, parse_body(response, context));
    const auto root = document.root();
    Order order;
    order.url = std::move(url);
    order.status = root.string_member("status").value_or("");
    order.finalize = root.string_member("finalize").value_or("");
    order.certificate = root.string_member("certificate").value_or("");
    order.profile = root.string_member("profile").value_or("");
    order.replaces = root.string_member("replaces").value_or("");
    for (const auto& identifier : root.array_member("identifiers"))
        order.identifiers.push_back(identifier.string_member("value").value_or(""));
    for (const auto& authorization : root.array_member("authorizations")) {
        if (auto text = authorization.as_string())
            order.authorizations.push_back(std::move(*text));
    }
    order.error = embedded_problem(root);
    if (const auto retry = response.header("retry-after"))
        order.retry_after = parse_retry_after(*retry, std::chrono::system_clock::now());
    if (order.status.empty())
        return make_error(ErrorKind::acme, context + ": order without a status");
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
    WILDCERT_TRY(const auto response, client.post(url, payload.str()));
    if (auto refused = expect_success(response, context, client.directory().terms_of_service);
        !refused.ok()) {
        return OrderAttempt{.order = std::nullopt,
                            .refusal = problem_from_response(response),
                            .refusal_message = refused.error().message};
    }
    auto location = response.header("location");
    if (!location || location->empty())
        return make_error(ErrorKind::acme, context + ": no Location header");
    WILDCERT_TRY(auto order, read_order(response, std::move(*location), context));
    return OrderAttempt{.order = std::move(order), .refusal = std::nullopt, .refusal_message = {}};
}

Result<Order> new_order(AcmeClient& client, std::span<const std::string> names) {
    WILDCERT_TRY(auto attempt,
                 try_new_order(client, {.names = names, .profile = {}, .replaces = {}}));
    if (!attempt.order)
        return make_error(ErrorKind::acme, attempt.refusal_message);
    return std::move(*attempt.order);
}

Result<Order> fetch_order(AcmeClient& client, const std::string& url) {
    const auto context = "order " + url;
    WILDCERT_TRY(const auto response, client.post_as_get(url));
    WILDCERT_CHECK(expect_success(response, context, client.directory().terms_of_service));
    return read_order(response, url, context);
}

Result<Authorization> fetch_authorization(AcmeClient& client, const std::string& url) {
    const auto context = "authorization " + url;
    WILDCERT_TRY(const auto response, client.post_as_get(url));
    WILDCERT_CHECK(expect_success(response, context));
    WILDCERT_TRY(const auto document, parse_body(response, context));
    const auto root = document.root();
    Authorization authorization;
    authorization.url = url;
    authorization.status = root.string_member("status").value_or("");
    if (const auto identifier = root.member("identifier"))
        authorization.identifier = identifier->string_member("value").value_or("");
    authorization.wildcard = root.bool_member("wildcard").value_or(false);
    for (const auto& item : root.array_member("challenges")) {
        authorization.challenges.push_back({
            .type = item.string_member("type").value_or(""),
            .url = item.string_member("url").value_or(""),
            .token = item.string_member("token").value_or(""),
            .status = item.string_member("status").value_or(""),
            .error = embedded_problem(item),
        });
    }
    if (const auto retry = response.header("retry-after"))
        authorization.retry_after = parse_retry_after(*retry, std::chrono::system_clock::now());
    if (authorization.status.empty() || authorization.identifier.empty())
        return make_error(ErrorKind::acme, context + ": missing status or identifier");
    return authorization;
}

Result<void> answer_challenge(AcmeClient& client, const std::string& url) {
    WILDCERT_TRY(const auto response, client.post(url, "{}"));
    return expect_success(response, "challenge " + url);
}

Result<Order> finalize_order(AcmeClient& client, const Order& order,
                             std::span<const std::uint8_t> csr_der) {
    const auto context = "order " + order.url + ": finalize";
    json::Writer payload;
    payload.begin_object().key("csr").string(crypto::base64url_encode(csr_der)).end_object();
    WILDCERT_TRY(const auto response, client.post(order.finalize, payload.str()));
    WILDCERT_CHECK(expect_success(response, context));
    return read_order(response, order.url, context);
}

Result<std::string> download_certificate(AcmeClient& client, const std::string& url) {
    WILDCERT_TRY(auto chain, download_chain(client, url));
    return std::move(chain.pem);
}

Result<DownloadedChain> download_chain(AcmeClient& client, const std::string& url) {
    const auto context = "certificate " + url;
    WILDCERT_TRY(auto response, client.post_as_get(url, "application/pem-certificate-chain"));
    WILDCERT_CHECK(expect_success(response, context));
    DownloadedChain chain;
    chain.alternates = http::link_targets(response, "alternate", url);
    chain.pem = std::move(response.body);
    return chain;
}

std::string dns01_txt_value(std::string_view token, std::string_view thumbprint) {
    std::string key_authorization(token);
    key_authorization += '.';
    key_authorization += thumbprint;
    return crypto::base64url_encode(crypto::sha256(key_authorization));
}

} // namespace wildcert::acme
