// Client's account commands: show, contact update, key rollover, deactivation (RFC 8555 §7.3).
#include <wildcert/client.hpp>

#include "acme/account.hpp"
#include "core/account_setup.hpp"
#include "core/audit.hpp"
#include "core/client_state.hpp"

namespace wildcert {
namespace {

// Connects and signs with the profile's existing account; never creates one. Needs only the
// session, the state directory the account key is in and the [acme] settings.
Result<void> use_existing_account(core::AcmeSession& session, const store::StateDir& state_dir,
                                  const AcmeSettings& settings) {
    if (session.acme && !session.acme->account_url().empty())
        return {};
    WILDCERT_TRY(auto acme, acme::AcmeClient::connect(session.http, settings.directory_url));
    session.acme.emplace(std::move(acme));
    auto opened =
        core::open_existing_account(*session.acme, state_dir, settings, session.account_key);
    if (!opened.ok()) {
        session.acme.reset();
        return opened.error();
    }
    return {};
}

Result<void> use_existing_account(Client::State& state) {
    return use_existing_account(state.session, state.state_dir, state.profile.acme);
}

AccountDetails details_of(const Client::State& state, const acme::AccountObject& object) {
    const auto key_id = core::eab_key_id(state.profile.acme);
    return AccountDetails{
        .url = state.session.acme->account_url(),
        .status = object.status,
        .contact = object.contact,
        .key_type = state.session.account_key->type(),
        .directory_url = state.session.acme->directory().url,
        .eab_key_id = key_id,
        .folder = state.state_dir.account_dir(state.session.acme->directory().url, key_id),
    };
}

} // namespace

Result<AccountDetails> Client::account() {
    auto& state = *m_state;
    WILDCERT_CHECK(use_existing_account(state));
    WILDCERT_TRY(const auto object, acme::fetch_account(*state.session.acme));
    return details_of(state, object);
}

Result<AccountDetails> Client::update_contact(const std::vector<std::string>& contact) {
    auto& state = *m_state;
    WILDCERT_CHECK(use_existing_account(state));
    WILDCERT_TRY(const auto object, acme::update_contact(*state.session.acme, contact));
    state.info("account: contact of " + state.session.acme->account_url() + " updated");
    return details_of(state, object);
}

Result<AccountDetails> Client::roll_over_account_key(KeyType new_type) {
    auto& state = *m_state;
    WILDCERT_CHECK(use_existing_account(state));
    const auto& directory_url = state.session.acme->directory().url;
    const auto key_id = core::eab_key_id(state.profile.acme);
    WILDCERT_TRY(auto new_key, crypto::PrivateKey::generate(new_type));
    // Saved before the CA sees it: if we crash after the CA switched, the key is on disk.
    WILDCERT_CHECK(state.state_dir.save_next_account_key(directory_url, key_id, new_key.to_pem()));
    auto changed = acme::change_key(*state.session.acme, new_key);
    if (!changed.ok()) {
        state.state_dir.drop_next_account_key(directory_url, key_id);
        return changed.error();
    }
    auto committed = state.state_dir.commit_next_account_key(directory_url, key_id);
    if (!committed.ok()) {
        return committed.error().with_context(
            "the CA switched the account to the new key, but storing it failed; the new key "
            "is in account.key.next in " +
            state.state_dir.account_dir(directory_url, key_id).string());
    }
    const auto url = state.session.acme->account_url();
    state.session.account_key.emplace(std::move(new_key));
    state.session.acme->use_account(*state.session.account_key, url);
    state.info(std::string("account: key of ") + url + " rolled over to " + to_string(new_type));
    core::audit(state, {.event = "account-key-rolled-over",
                        .detail = url + " now uses a new " + to_string(new_type) + " key"});
    WILDCERT_TRY(const auto object, acme::fetch_account(*state.session.acme));
    return details_of(state, object);
}

Result<std::filesystem::path> Client::deactivate_account() {
    auto& state = *m_state;
    WILDCERT_CHECK(use_existing_account(state));
    const auto url = state.session.acme->account_url();
    const auto& directory_url = state.session.acme->directory().url;
    WILDCERT_CHECK(acme::deactivate_account(*state.session.acme));
    state.info("account: " + url + " deactivated");
    core::audit(state, {.event = "account-deactivated", .detail = url});
    WILDCERT_TRY(auto moved, state.state_dir.retire_account(directory_url,
                                                            core::eab_key_id(state.profile.acme)));
    // The client must not sign with a dead account any more.
    state.session.acme.reset();
    state.session.account_key.reset();
    return moved;
}

} // namespace wildcert
