#include "acme/account.hpp"

#include "acme/document_limits.hpp"
#include "acme/documents.hpp"
#include "acme/jws.hpp"
#include "acme/problem.hpp"
#include "common/printable.hpp"
#include "json/json.hpp"

#include <cctype>

namespace wildcert::acme {
namespace {

void write_contact(json::Writer& payload, const std::vector<std::string>& contact) {
    payload.key("contact").begin_array();
    for (const auto& entry : contact)
        payload.string(entry);
    payload.end_array();
}

Result<AccountObject> read_account(const http::Response& response, const std::string& context) {
    auto account = parse_account(response.body);
    if (!account.ok())
        return account.error().with_context(context);
    return account;
}

// With a binding sent, these answers are about it (§7.3.4: the CA checks the key id, the MAC
// and the MAC algorithm); a "malformed" only when the CA says it concerns the binding, since
// that type also covers unrelated mistakes.
bool is_binding_refusal(const Problem& problem) {
    if (problem.is(problem_type::k_unauthorized) || problem.is("badPublicKey"))
        return true;
    std::string detail = problem.detail;
    for (auto& c : detail)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return problem.is("malformed") && detail.find("external account") != std::string::npos;
}

std::string create_failure_hint(const Problem& problem) {
    if (problem.is(problem_type::k_external_account_required)) {
        return " (this CA requires External Account Binding: set key_id and hmac_key (or "
               "hmac_key_file) under [acme.eab] in the profile, with the credentials from the "
               "CA's customer account)";
    }
    return {};
}

} // namespace

Result<std::optional<std::string>> find_account(AcmeClient& client) {
    const auto& url = client.directory().new_account;
    WILDCERT_TRY(const auto response,
                 client.post(url, R"({"onlyReturnExisting":true})", limits::k_account));
    if (response.status == 400 &&
        problem_from_response(response).is(problem_type::k_account_does_not_exist)) {
        return std::optional<std::string>();
    }
    WILDCERT_CHECK(expect_success(response, "find account at " + url));
    WILDCERT_TRY(auto location, location_url(response, "find account at " + url));
    return std::optional<std::string>(std::move(location));
}

Result<std::string> create_account(AcmeClient& client, const NewAccount& request) {
    const auto& directory = client.directory();
    const auto context = "create account at " + directory.new_account;
    if (!directory.terms_of_service.empty() && !request.terms_agreed) {
        return make_error(ErrorKind::acme,
                          context + ": the CA requires agreeing to its terms of service (" +
                              directory.terms_of_service +
                              "); read them and set acme.accept_terms = true in the profile");
    }
    json::Writer payload;
    payload.begin_object();
    if (!request.contact.empty())
        write_contact(payload, request.contact);
    if (request.terms_agreed)
        payload.key("termsOfServiceAgreed").boolean(true);
    if (!request.external_account_binding.empty())
        payload.key("externalAccountBinding").raw(request.external_account_binding);
    payload.end_object();

    WILDCERT_TRY(const auto response,
                 client.post(directory.new_account, payload.str(), limits::k_account));
    if (response.status != 200 && response.status != 201) {
        const auto problem = problem_from_response(response);
        // A refused binding is named by its key id, never by its key.
        if (!request.external_account_binding.empty() && is_binding_refusal(problem)) {
            return problem_error(
                context + ": the CA rejected the external account binding (key_id " +
                    request.eab_key_id +
                    "); check [acme.eab] key_id, hmac_key and algorithm: " + problem.describe(),
                problem);
        }
        return problem_error(context + ": " + problem.describe() + create_failure_hint(problem),
                             problem);
    }
    return location_url(response, context);
}

Result<AccountObject> fetch_account(AcmeClient& client) {
    const auto context = "account " + client.account_url();
    WILDCERT_TRY(const auto response, client.post_as_get(client.account_url(), limits::k_account));
    WILDCERT_CHECK(expect_success(response, context));
    return read_account(response, context);
}

Result<AccountObject> update_contact(AcmeClient& client, const std::vector<std::string>& contact) {
    const auto context = "account " + client.account_url() + ": update contact";
    json::Writer payload;
    payload.begin_object();
    write_contact(payload, contact);
    payload.end_object();
    WILDCERT_TRY(const auto response,
                 client.post(client.account_url(), payload.str(), limits::k_account));
    WILDCERT_CHECK(expect_success(response, context));
    return read_account(response, context);
}

Result<void> deactivate_account(AcmeClient& client) {
    const auto context = "account " + client.account_url() + ": deactivate";
    WILDCERT_TRY(
        const auto response,
        client.post(client.account_url(), R"({"status":"deactivated"})", limits::k_account));
    return expect_success(response, context);
}

Result<void> change_key(AcmeClient& client, const crypto::PrivateKey& new_key) {
    const auto& url = client.directory().key_change;
    const auto context = "account " + client.account_url() + ": key change";
    if (url.empty())
        return make_error(ErrorKind::acme, context + ": the CA's directory has no keyChange URL");
    json::Writer inner_payload;
    inner_payload.begin_object()
        .key("account")
        .string(client.account_url())
        .key("oldKey")
        .raw(client.account_key().public_jwk_json())
        .end_object();
    // §7.3.5: the inner JWS has the same url, a jwk and no nonce.
    WILDCERT_TRY(const auto inner,
                 sign_jws(new_key, {.url = url, .nonce = {}, .kid = {}}, inner_payload.str()));
    WILDCERT_TRY(const auto response, client.post(url, inner, limits::k_account));
    if (response.status == 409) {
        const auto other = response.header("location");
        return make_error(ErrorKind::acme,
                          context + ": the new key already belongs to another account" +
                              (other ? " (" + common::printable(*other) + ")" : std::string()));
    }
    return expect_success(response, context);
}

} // namespace wildcert::acme
