#include "core/batch.hpp"

#include "core/account_setup.hpp"
#include "core/audit.hpp"
#include "store/file_lock.hpp"

namespace wildcert::core {

Result<void> clean_up_leftovers(Client::State& state) {
    WILDCERT_TRY(const auto leftovers, state.journal.pending());
    if (leftovers.empty())
        return {};
    state.info("dns: removing " + std::to_string(leftovers.size()) +
               " record(s) left by an earlier run");
    std::vector<std::string> names;
    for (const auto& record : leftovers)
        names.push_back(record.fqdn);
    if (auto removed = state.provider->remove(leftovers); !removed.ok()) {
        audit(state, {.event = "records-removed",
                      .names = names,
                      .ok = false,
                      .detail = "left by an earlier run: " + removed.error().message});
        return removed.error().with_context("removing records left by an earlier run");
    }
    audit(state, {.event = "records-removed", .names = names, .detail = "left by an earlier run"});
    return state.journal.forget(leftovers);
}

Result<void> ensure_account(Client::State& state) {
    if (state.acme)
        return {};
    const acme::RetryPolicy policy{.max_attempts = acme::RetryPolicy{}.max_attempts,
                                   .first_backoff = state.options.retry_backoff,
                                   .max_wait = acme::RetryPolicy{}.max_wait,
                                   .cancelled = state.options.cancelled};
    WILDCERT_TRY(auto acme,
                 acme::AcmeClient::connect(state.http, state.profile.acme.directory_url, policy));
    acme.set_retry_policy(policy);
    const auto key_id = state.profile.acme.eab ? state.profile.acme.eab->key_id : std::string();
    WILDCERT_TRY(const auto lock_file, state.state_dir.account_lock(acme.directory().url, key_id));
    WILDCERT_TRY(auto lock,
                 store::FileLock::wait_lock(lock_file, std::nullopt, state.options.cancelled));
    const auto before = state.state_dir.load_account(acme.directory().url, key_id);
    const bool known = before.ok() && *before && !(*before)->url.empty();
    acme.on_bad_nonce([&state](const std::string& url, int retry) {
        state.debug("acme: badNonce from " + url + "; retry " + std::to_string(retry) +
                    " with the nonce of the error response");
    });
    state.acme.emplace(std::move(acme));
    auto account = set_up_account(*state.acme, state.state_dir, state.profile.acme,
                                  state.account_key, state.options.log);
    if (!account.ok()) {
        state.acme.reset();
        return account.error();
    }
    if (!known)
        audit(state, {.event = "account-registered",
                      .detail = state.acme->account_url() + " at " + state.acme->directory().url});
    return {};
}

std::vector<Result<IssuedFiles>> issue_batch(Client::State& state,
                                             const std::vector<CertificateSettings>& certificates,
                                             const IssueOptions& options) {
    const auto every = [&certificates](const Error& error) {
        std::vector<Result<IssuedFiles>> results;
        for (const auto& certificate : certificates)
            results.emplace_back(error.with_context(certificate.name));
        return results;
    };
    if (certificates.empty())
        return {};
    if (const auto cleaned = clean_up_leftovers(state); !cleaned.ok())
        return every(cleaned.error());
    if (const auto account = ensure_account(state); !account.ok())
        return every(account.error());
    auto results = issue_certificates(state, certificates, options);
    for (std::size_t i = 0; i < results.size(); ++i) {
        if (!results[i].ok())
            results[i] = results[i].error().with_context(certificates[i].name);
    }
    return results;
}

} // namespace wildcert::core
