#include "acme/account.hpp"

#include "acme/problem.hpp"
#include "json/json.hpp"

namespace wildcert::acme {

Result<std::optional<std::string>> find_account(AcmeClient& client) {
    const auto& url = client.directory().new_account;
    WILDCERT_TRY(const auto response, client.post(url, R"({"onlyReturnExisting":true})"));
    if (response.status == 400 &&
        problem_from_response(response).is(problem_type::k_account_does_not_exist)) {
        return std::optional<std::string>();
    }
    WILDCERT_CHECK(expect_success(response, "find account at " + url));
    auto location = response.header("location");
    if (!location || location->empty())
        return make_error(ErrorKind::acme, "find account at " + url + ": no Location header");
    return std::optional<std::string>(std::move(*location));
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
    if (!request.contact.empty()) {
        payload.key("contact").begin_array();
        for (const auto& contact : request.contact)
            payload.string(contact);
        payload.end_array();
    }
    if (request.terms_agreed)
        payload.key("termsOfServiceAgreed").boolean(true);
    payload.end_object();

    WILDCERT_TRY(const auto response, client.post(directory.new_account, payload.str()));
    if (response.status != 200 && response.status != 201) {
        const auto problem = problem_from_response(response);
        std::string hint;
        if (problem.is(problem_type::k_external_account_required))
            hint = " (this CA requires External Account Binding, which this version does not "
                   "support yet)";
        return make_error(ErrorKind::acme, context + ": " + problem.describe() + hint);
    }
    auto location = response.header("location");
    if (!location || location->empty())
        return make_error(ErrorKind::acme, context + ": no Location header in the answer");
    return std::move(*location);
}

} // namespace wildcert::acme
