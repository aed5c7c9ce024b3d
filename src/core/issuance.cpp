#include "core/issuance.hpp"

#include "core/audit.hpp"
#include "core/certificate_installer.hpp"
#include "core/challenge_publisher.hpp"
#include "core/challenge_records.hpp"
#include "core/order_stages.hpp"

#include <set>

namespace wildcert::core {
namespace {

std::vector<TxtRecord> records_of(const std::vector<PendingChallenge>& challenges) {
    std::vector<TxtRecord> records;
    for (const auto& challenge : challenges)
        records.push_back(challenge.record);
    return records;
}

void report_aliases(const ProgressLog& log, const std::vector<PendingChallenge>& challenges) {
    std::set<std::string> reported;
    for (const auto& challenge : challenges) {
        if (challenge.record.fqdn == challenge.validation_name ||
            !reported.insert(challenge.validation_name).second)
            continue;
        log.info("dns: " + challenge.validation_name + " is validated through " +
                 challenge.record.fqdn + " (zone " + challenge.record.zone + "); publishing there");
    }
}

std::vector<PendingChallenge> open_challenges(const std::vector<OrderWork>& works) {
    std::vector<PendingChallenge> challenges;
    for (const auto& work : works) {
        if (!work.failure)
            challenges.insert(challenges.end(), work.challenges.begin(), work.challenges.end());
    }
    return challenges;
}

// Stage publish: the records of every open order, one add per zone (publish_by_zone), the
// journal written first so that a crash between add and remove leaves them findable. A zone
// the provider refuses fails the orders with names in it. Returns what the caller must remove.
std::vector<TxtRecord> publish(ChallengePublisher& publisher, std::vector<OrderWork>& works) {
    if (open_challenges(works).empty())
        return {};
    std::vector<std::vector<TxtRecord>> records_by_work(works.size());
    for (std::size_t i = 0; i < works.size(); ++i) {
        if (!works[i].failure)
            records_by_work[i] = records_of(works[i].challenges);
    }
    auto publication = publisher.publish(records_by_work);
    for (std::size_t i = 0; i < works.size(); ++i) {
        if (publication.failures[i] && !works[i].failure)
            works[i].failure = std::move(publication.failures[i]);
    }
    return std::move(publication.added);
}

// Stage wait: every open order's records in one propagation loop, so a lagging server is
// waited for once. A failed check fails every order left (they share the loop).
void wait(ChallengePublisher& publisher, std::vector<OrderWork>& works) {
    if (const auto served = publisher.wait_until_served(records_of(open_challenges(works)));
        !served.ok()) {
        for (auto& work : works) {
            if (!work.failure && !work.challenges.empty())
                work.failure = served.error();
        }
    }
}

// The records that will answer the authorizations (on the calling thread: the zone cache is
// shared by the batch). Given only what it needs: the account key's thumbprint (RFC 8555 §8.1), the
// TTL and the log.
Result<void> plan_records(const std::string& thumbprint, std::chrono::seconds ttl,
                          const ProgressLog& log, OrderWork& work, ZoneFinder& zones) {
    const auto& certificate = *work.certificate;
    WILDCERT_TRY(work.challenges,
                 plan_challenges(work.authorizations, thumbprint, ttl, certificate, zones));
    report_aliases(log, work.challenges);
    if (work.challenges.empty())
        log.info("acme: every authorization of " + certificate.name + " is already valid");
    return {};
}

} // namespace

std::vector<Result<IssuedFiles>>
issue_certificates(Client::State& state, const std::vector<CertificateSettings>& certificates,
                   const IssueOptions& options, ZoneFinder& zones) {
    std::vector<OrderWork> works;
    for (const auto& certificate : certificates)
        works.push_back(OrderWork{&certificate, {}, {}, {}, std::nullopt});
    const AuditSink audit_sink = [&state](const AuditEvent& event) { audit(state, event); };

    OrderStages orders({.session = state.session,
                        .state_dir = state.state_dir,
                        .log = state.log,
                        .sink = state.options.log,
                        .cancelled = state.options.cancelled,
                        .audit = audit_sink,
                        .concurrency = options.concurrency});
    // Stage order: newOrder and its authorizations (on the workers: network only).
    orders.place(works);
    // Stage plan: the records that answer them (here: the zone cache is shared).
    const auto thumbprint = state.session.account_key->thumbprint();
    for (auto& work : works) {
        if (work.failure)
            continue;
        if (const auto planned =
                plan_records(thumbprint, state.profile.dns.ttl, state.log, work, zones);
            !planned.ok())
            work.failure = planned.error();
    }

    ChallengePublisher publisher({.provider = *state.provider,
                                  .journal = state.journal,
                                  .dns = state.profile.dns,
                                  .discovery = state.discovery,
                                  .log = state.log,
                                  .cancelled = state.options.cancelled,
                                  .events = audited_record_events(state, ""),
                                  .journal_dir = state.state_dir.root() / "journal"});
    const auto added = publish(publisher, works);
    wait(publisher, works);
    orders.answer(works);
    orders.validate(works);
    // On success and on every failure (RFC 8555 §8.4: de-provision once the challenge is
    // valid or invalid), before any finalization.
    (void)publisher.clean_up(added);

    const store::StateDir& target =
        options.install_into != nullptr ? *options.install_into : state.state_dir;
    const CertificateInstaller installer({.target = target,
                                          .scratch = &target != &state.state_dir,
                                          .profile_path = state.profile.path,
                                          .log = state.log,
                                          .audit = audit_sink});
    return orders.finalize(works, installer);
}

} // namespace wildcert::core
