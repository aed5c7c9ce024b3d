#include "core/batch.hpp"

#include "core/account_setup.hpp"
#include "core/audit.hpp"
#include "core/dns_access.hpp"
#include "store/file_lock.hpp"

namespace wildcert::core {

Result<std::vector<RecordRemoval>> remove_leftovers(Client::State& state) {
    WILDCERT_TRY(const auto leftovers, state.journal.pending());
    if (leftovers.empty())
        return std::vector<RecordRemoval>{};
    state.info("dns: removing " + std::to_string(leftovers.size()) +
               " record(s) left by an earlier run");
    return remove_by_zone(*state.provider, state.journal, leftovers,
                          audited_record_events(state, "left by an earlier run"));
}

void clean_up_leftovers(Client::State& state) {
    const auto where = (state.state_dir.root() / "journal").string();
    const auto outcomes = remove_leftovers(state);
    if (!outcomes.ok()) {
        state.info("dns: warning: cannot read the cleanup journal in " + where + ": " +
                   outcomes.error().message + " (records left by earlier runs stay)");
        return;
    }
    // A stale value beside the new ones does not disturb validation (the CA needs one value
    // to match), so what is stuck only needs saying, not stopping for.
    if (const auto stuck = describe_stuck(*outcomes); !stuck.empty())
        state.info("dns: warning: " + stuck + " (kept in " + where +
                   "; the next run retries, `wildcert cleanup -c " + state.profile.path.string() +
                   "` on demand)");
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
    clean_up_leftovers(state);
    ZoneFinder zones(state.discovery, cname_lookup(state.profile.dns, [&state](const auto& line) {
                         state.info(line);
                     }));
    const auto access = check_dns_access(state, certificates, zones);
    std::vector<CertificateSettings> reachable;
    for (std::size_t i = 0; i < certificates.size(); ++i) {
        if (!access[i])
            reachable.push_back(certificates[i]);
    }
    std::vector<Result<IssuedFiles>> issued;
    if (!reachable.empty()) {
        if (const auto account = ensure_account(state); !account.ok())
            return every(account.error());
        issued = issue_certificates(state, reachable, options, zones);
    }
    std::vector<Result<IssuedFiles>> results;
    for (std::size_t i = 0, next = 0; i < certificates.size(); ++i) {
        const auto& failure = access[i];
        auto result = failure ? Result<IssuedFiles>(*failure) : std::move(issued[next++]);
        if (!result.ok())
            result = result.error().with_context(certificates[i].name);
        results.push_back(std::move(result));
    }
    return results;
}

} // namespace wildcert::core
