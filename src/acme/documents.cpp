#include "acme/documents.hpp"

#include "acme/problem.hpp"
#include "common/printable.hpp"
#include "json/json.hpp"

namespace wildcert::acme {
namespace {

Result<json::Document> parse_object(std::string_view body) {
    WILDCERT_TRY(auto document, json::Document::parse(body));
    if (!document.root().is_object())
        return make_error(ErrorKind::acme, "expected a JSON object");
    return document;
}

// wildcert orders "dns" identifiers only (RFC 8555 §9.7.7); anything else is not its business.
Result<std::string> dns_identifier(const json::Value& identifier) {
    const auto type = identifier.string_member("type").value_or("");
    if (type != "dns")
        return make_error(ErrorKind::acme, "an identifier of type \"" + common::printable(type) +
                                               "\", expected \"dns\"");
    return identifier.string_member("value").value_or("");
}

// `missing` is the whole message when there is no status; a status the RFC does not define
// is refused too, so that past this point every status is one of AcmeStatus.
Result<AcmeStatus> read_status(const json::Value& object, const std::string& what,
                               const std::string& missing) {
    const auto text = object.string_member("status");
    if (!text || text->empty())
        return make_error(ErrorKind::acme, missing);
    if (const auto status = parse_acme_status(*text))
        return *status;
    return make_error(ErrorKind::acme, what + " with status \"" + common::printable(*text) +
                                           "\", which RFC 8555 §7.1.6 does not define");
}

std::optional<Problem> embedded_problem(const json::Value& object) {
    if (const auto error = object.member("error"); error && error->is_object())
        return problem_from_json(error->serialize());
    return std::nullopt;
}

} // namespace

Result<Directory> parse_directory(std::string_view body, std::string url) {
    WILDCERT_TRY(const auto document, parse_object(body));
    const auto root = document.root();
    Directory directory;
    directory.url = std::move(url);
    directory.new_nonce = root.string_member("newNonce").value_or("");
    directory.new_account = root.string_member("newAccount").value_or("");
    directory.new_order = root.string_member("newOrder").value_or("");
    directory.revoke_cert = root.string_member("revokeCert").value_or("");
    directory.key_change = root.string_member("keyChange").value_or("");
    if (const auto meta = root.member("meta")) {
        // Shown to the user only: escaped where they enter (common/printable.hpp). A name with
        // control characters matches no profile setting or CAA record anyway.
        directory.terms_of_service =
            common::printable(meta->string_member("termsOfService").value_or(""));
        directory.external_account_required =
            meta->bool_member("externalAccountRequired").value_or(false);
        for (const auto& identity : meta->array_member("caaIdentities")) {
            if (auto text = identity.as_string(); text && !text->empty())
                directory.caa_identities.push_back(common::printable(*text));
        }
        // Profiles draft §3: name -> human-readable description (or a URL).
        if (const auto profiles = meta->member("profiles"); profiles && profiles->is_object()) {
            for (const auto& name : profiles->member_names())
                directory.profiles[common::printable(name)] =
                    common::printable(profiles->string_member(name).value_or(""));
        }
    }
    directory.renewal_info = root.string_member("renewalInfo").value_or("");
    if (directory.new_nonce.empty() || directory.new_account.empty() ||
        directory.new_order.empty()) {
        return make_error(ErrorKind::acme,
                          "not an ACME directory: newNonce, newAccount or newOrder missing");
    }
    return directory;
}

Result<AccountObject> parse_account(std::string_view body) {
    WILDCERT_TRY(const auto document, json::Document::parse(body));
    const auto root = document.root();
    AccountObject account;
    WILDCERT_TRY(account.status,
                 read_status(root, "account object", "account object without a status"));
    // Contacts are shown as they are: escaped (common/printable.hpp).
    for (const auto& item : root.array_member("contact")) {
        if (auto text = item.as_string())
            account.contact.push_back(common::printable(*text));
    }
    return account;
}

Result<Order> parse_order(std::string_view body, std::string url) {
    WILDCERT_TRY(const auto document, parse_object(body));
    const auto root = document.root();
    Order order;
    order.url = std::move(url);
    WILDCERT_TRY(order.status, read_status(root, "order", "order without a status"));
    order.finalize = root.string_member("finalize").value_or("");
    order.certificate = root.string_member("certificate").value_or("");
    order.profile = common::printable(root.string_member("profile").value_or(""));
    order.replaces = root.string_member("replaces").value_or("");
    for (const auto& identifier : root.array_member("identifiers")) {
        WILDCERT_TRY(auto value, dns_identifier(identifier));
        order.identifiers.push_back(std::move(value));
    }
    for (const auto& authorization : root.array_member("authorizations")) {
        if (auto text = authorization.as_string())
            order.authorizations.push_back(std::move(*text));
    }
    order.error = embedded_problem(root);
    return order;
}

Result<Authorization> parse_authorization(std::string_view body, std::string url) {
    WILDCERT_TRY(const auto document, parse_object(body));
    const auto root = document.root();
    Authorization authorization;
    authorization.url = std::move(url);
    if (const auto identifier = root.member("identifier")) {
        WILDCERT_TRY(authorization.identifier, dns_identifier(*identifier));
    }
    if (authorization.identifier.empty())
        return make_error(ErrorKind::acme, "missing status or identifier");
    WILDCERT_TRY(authorization.status,
                 read_status(root, "authorization", "missing status or identifier"));
    authorization.wildcard = root.bool_member("wildcard").value_or(false);
    for (const auto& item : root.array_member("challenges")) {
        authorization.challenges.push_back({
            .type = item.string_member("type").value_or(""),
            .url = item.string_member("url").value_or(""),
            .token = item.string_member("token").value_or(""),
            .status = parse_acme_status(item.string_member("status").value_or("")),
            .error = embedded_problem(item),
        });
    }
    return authorization;
}

} // namespace wildcert::acme
