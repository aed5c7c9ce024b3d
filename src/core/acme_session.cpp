#include "core/acme_session.hpp"

#include "core/account_setup.hpp"
#include "store/file_lock.hpp"

namespace wildcert::core {

Result<bool> AcmeSession::ensure_account(const AcmeSettings& settings,
                                         const store::StateDir& state_dir, const ProgressLog& log,
                                         const LogSink& sink) {
    if (acme)
        return false;
    WILDCERT_TRY(auto client,
                 acme::AcmeClient::connect(http, settings.directory_url, retry_policy));
    client.set_retry_policy(retry_policy);
    const auto key_id = eab_key_id(settings);
    WILDCERT_TRY(const auto lock_file, state_dir.account_lock(client.directory().url, key_id));
    WILDCERT_TRY(auto lock,
                 store::FileLock::wait_lock(lock_file, std::nullopt, retry_policy.cancelled));
    const auto before = state_dir.load_account(client.directory().url, key_id);
    const bool known = before.ok() && *before && !(*before)->url.empty();
    client.on_bad_nonce([&log](const std::string& url, int retry) {
        log.debug("acme: badNonce from " + url + "; retry " + std::to_string(retry) +
                  " with the nonce of the error response");
    });
    acme.emplace(std::move(client));
    if (auto account = set_up_account(*acme, state_dir, settings, account_key, sink);
        !account.ok()) {
        acme.reset();
        return account.error();
    }
    return !known;
}

} // namespace wildcert::core
