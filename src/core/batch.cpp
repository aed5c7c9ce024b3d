#include "core/batch.hpp"

#include "core/audit.hpp"
#include "core/dns_access.hpp"

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
    WILDCERT_TRY(const bool created,
                 state.session.ensure_account(state.profile.acme, state.state_dir, state.log,
                                              state.options.log));
    if (created)
        audit(state, {.event = "account-registered",
                      .detail = state.session.acme->account_url() + " at " +
                                state.session.acme->directory().url});
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
