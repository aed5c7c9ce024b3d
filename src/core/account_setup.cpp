#include "core/account_setup.hpp"

#include "acme/account.hpp"
#include "acme/eab.hpp"

namespace wildcert::core {
namespace {

void info(const LogSink& log, const std::string& line) {
    if (log)
        log(LogLevel::info, line);
}

// Found only at run time (the directory says so), so it is a failure of the run (exit 1),
// but the fix is in the profile: say which keys.
Result<void> check_binding_possible(const acme::Directory& directory,
                                    const AcmeSettings& settings) {
    if (settings.eab || !directory.external_account_required)
        return {};
    return make_error(ErrorKind::acme, "create account at " + directory.new_account +
                                           ": the CA requires External Account Binding "
                                           "(meta.externalAccountRequired); add [acme.eab] with "
                                           "key_id and hmac_key (or hmac_key_file) from the CA's "
                                           "customer account to the profile");
}

Result<acme::NewAccount> new_account_request(const acme::AcmeClient& client,
                                             const AcmeSettings& settings,
                                             const crypto::PrivateKey& key) {
    acme::NewAccount request{.contact = settings.contact,
                             .terms_agreed = settings.accept_terms,
                             .external_account_binding = {},
                             .eab_key_id = {}};
    const auto& directory = client.directory();
    WILDCERT_CHECK(check_binding_possible(directory, settings));
    if (!settings.eab)
        return request;
    // Decoded here, used once, and dropped: the MAC key never leaves this function's frame.
    WILDCERT_TRY(const auto mac_key, acme::decode_mac_key(settings.eab->hmac_key));
    request.external_account_binding =
        acme::sign_external_account_binding(settings.eab->algorithm, settings.eab->key_id, mac_key,
                                            key.public_jwk_json(), directory.new_account);
    request.eab_key_id = settings.eab->key_id;
    return request;
}

Result<void> load_key(const store::StoredAccount& stored, const store::StateDir& state,
                      std::optional<crypto::PrivateKey>& key) {
    auto loaded = crypto::PrivateKey::from_pem(stored.key_pem);
    if (!loaded.ok())
        return loaded.error().with_context("account key in " + state.root().string());
    key.emplace(std::move(loaded).value());
    return {};
}

} // namespace

std::string eab_key_id(const AcmeSettings& settings) {
    return settings.eab ? settings.eab->key_id : std::string();
}

Result<void> set_up_account(acme::AcmeClient& client, const store::StateDir& state,
                            const AcmeSettings& settings, std::optional<crypto::PrivateKey>& key,
                            const LogSink& log) {
    const auto& directory_url = client.directory().url;
    const auto key_id = eab_key_id(settings);
    WILDCERT_TRY(auto stored, state.load_account(directory_url, key_id));
    if (stored) {
        WILDCERT_CHECK(load_key(*stored, state, key));
    } else {
        // Before a key is made and stored: a run that cannot register leaves nothing behind.
        WILDCERT_CHECK(check_binding_possible(client.directory(), settings));
        WILDCERT_TRY(auto generated, crypto::PrivateKey::generate(settings.account_key));
        key.emplace(std::move(generated));
        stored = store::StoredAccount{key->to_pem(), ""};
        WILDCERT_CHECK(state.save_account(directory_url, *stored, key_id));
    }
    client.use_account(*key, "");

    if (!stored->url.empty()) {
        client.use_account(*key, stored->url);
        info(log, "account: using " + stored->url);
        return {};
    }
    WILDCERT_TRY(const auto existing, acme::find_account(client));
    std::string url;
    if (existing) {
        url = *existing;
        info(log, "account: using " + url);
    } else {
        WILDCERT_TRY(const auto request, new_account_request(client, settings, *key));
        WILDCERT_TRY(url, acme::create_account(client, request));
        info(log,
             "account: created " + url +
                 (key_id.empty() ? std::string() : " (external account key_id " + key_id + ")"));
    }
    stored->url = url;
    WILDCERT_CHECK(state.save_account(directory_url, *stored, key_id));
    client.use_account(*key, url);
    return {};
}

Result<void> open_existing_account(acme::AcmeClient& client, const store::StateDir& state,
                                   const AcmeSettings& settings,
                                   std::optional<crypto::PrivateKey>& key) {
    const auto& directory_url = client.directory().url;
    const auto key_id = eab_key_id(settings);
    WILDCERT_TRY(auto stored, state.load_account(directory_url, key_id));
    if (!stored) {
        return make_error(ErrorKind::acme,
                          "no account for " + directory_url +
                              (key_id.empty() ? std::string() : " (EAB key_id " + key_id + ")") +
                              " in " + state.root().string() + "; `wildcert issue` creates one");
    }
    WILDCERT_CHECK(load_key(*stored, state, key));
    client.use_account(*key, "");
    if (stored->url.empty()) {
        WILDCERT_TRY(const auto existing, acme::find_account(client));
        if (!existing) {
            return make_error(ErrorKind::acme, "the CA at " + directory_url +
                                                   " knows no account for the stored key; "
                                                   "`wildcert issue` creates one");
        }
        stored->url = *existing;
        WILDCERT_CHECK(state.save_account(directory_url, *stored, key_id));
    }
    client.use_account(*key, stored->url);
    return {};
}

} // namespace wildcert::core
