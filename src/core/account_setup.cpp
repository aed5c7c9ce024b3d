#include "core/account_setup.hpp"

#include "acme/account.hpp"

namespace wildcert::core {
namespace {

void info(const LogSink& log, const std::string& line) {
    if (log)
        log(LogLevel::info, line);
}

} // namespace

Result<void> set_up_account(acme::AcmeClient& client, const store::StateDir& state,
                            const AcmeSettings& settings, std::optional<crypto::PrivateKey>& key,
                            const LogSink& log) {
    const auto& directory_url = client.directory().url;
    WILDCERT_TRY(auto stored, state.load_account(directory_url));
    if (stored) {
        auto loaded = crypto::PrivateKey::from_pem(stored->key_pem);
        if (!loaded.ok())
            return loaded.error().with_context("account key in " + state.root().string());
        key.emplace(std::move(loaded).value());
    } else {
        WILDCERT_TRY(auto generated, crypto::PrivateKey::generate(settings.account_key));
        key.emplace(std::move(generated));
        stored = store::StoredAccount{key->to_pem(), ""};
        WILDCERT_CHECK(state.save_account(directory_url, *stored));
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
        WILDCERT_TRY(url, acme::create_account(client, {.contact = settings.contact,
                                                        .terms_agreed = settings.accept_terms}));
        info(log, "account: created " + url);
    }
    stored->url = url;
    WILDCERT_CHECK(state.save_account(directory_url, *stored));
    client.use_account(*key, url);
    return {};
}

} // namespace wildcert::core
