#include "core/issuance.hpp"

#include "acme/order.hpp"
#include "core/audit.hpp"
#include "core/certificate_files.hpp"
#include "core/certificate_installer.hpp"
#include "core/chain_choice.hpp"
#include "core/challenge_publisher.hpp"
#include "core/challenge_records.hpp"
#include "core/identifier_match.hpp"
#include "core/order_placement.hpp"
#include "core/wait_status.hpp"
#include "core/waiting.hpp"
#include "core/workers.hpp"
#include "crypto/csr.hpp"
#include "dns/propagation.hpp"
#include "store/certificate_record.hpp"

#include <algorithm>
#include <atomic>
#include <set>

namespace wildcert::core {
namespace {

using namespace std::chrono_literals;

// How long a CA may take to validate or issue before we give up. Generous: public CAs queue.
constexpr auto k_validation_budget = 300s;
constexpr auto k_issuance_budget = 300s;
// The first poll comes quickly (a local CA answers in milliseconds), later ones back off.
// 20 ms rather than 50: a 1000-certificate renewal against Pebble went from 21.6-22.8 s to
// 14.6 s (finalize answers "processing", and each order waited for its first poll).
constexpr auto k_first_poll = 20ms;
constexpr auto k_poll_cap = 3s;

std::vector<TxtRecord> records_of(const std::vector<PendingChallenge>& challenges) {
    std::vector<TxtRecord> records;
    for (const auto& challenge : challenges)
        records.push_back(challenge.record);
    return records;
}

// Polls every answered authorization until all are valid; the first invalid one ends it.
Result<void> await_validation(Client::State& state, acme::AcmeClient& acme,
                              const std::vector<PendingChallenge>& answered) {
    std::vector<const PendingChallenge*> waiting;
    for (const auto& challenge : answered)
        waiting.push_back(&challenge);
    Backoff backoff(k_first_poll, k_poll_cap, k_validation_budget);
    // The status line goes when the wait ends, however it ends.
    struct StatusCleared {
        const Client::State& state;
        ~StatusCleared() { state.status({}); }
    } const cleared{state};
    while (true) {
        std::vector<const PendingChallenge*> still;
        std::optional<std::chrono::seconds> retry_after;
        for (const auto* challenge : waiting) {
            WILDCERT_TRY(const auto authorization,
                         acme::fetch_authorization(acme, challenge->authorization_url));
            if (authorization.status == AcmeStatus::valid)
                continue;
            if (authorization.status == AcmeStatus::pending ||
                authorization.status == AcmeStatus::processing) {
                still.push_back(challenge);
                if (authorization.retry_after)
                    retry_after = std::max(retry_after.value_or(std::chrono::seconds(0)),
                                           *authorization.retry_after);
                continue;
            }
            return acme::authorization_failure(authorization, challenge->identifier);
        }
        if (still.empty())
            return {};
        std::vector<std::string> pending;
        for (const auto* challenge : still)
            pending.push_back(challenge->identifier);
        state.status(validation_status(answered.size() - still.size(), answered.size(), pending,
                                       backoff.left()));
        waiting = std::move(still);
        WILDCERT_CHECK(backoff.wait(retry_after, "authorization for " + waiting.front()->identifier,
                                    to_string(AcmeStatus::pending), state.options.cancelled));
    }
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

// One certificate's order on its way through the batch. `failure` set: it drops out, the
// others go on.
struct OrderWork {
    const CertificateSettings* certificate;
    acme::Order order;
    std::vector<acme::Authorization> authorizations;
    std::vector<PendingChallenge> challenges;
    std::optional<Error> failure;
};

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

// Stage answer: every challenge is answered before any is polled, so the CA validates them
// together.
void answer(Client::State& state, Workers& workers, std::vector<OrderWork>& works) {
    if (open_challenges(works).empty())
        return;
    std::atomic<std::size_t> answered{0};
    workers.for_each(works.size(), [&](acme::AcmeClient& acme, std::size_t i) {
        auto& work = works[i];
        for (const auto& challenge : work.challenges) {
            if (work.failure)
                break;
            const auto sent = acme::answer_challenge(acme, challenge.challenge_url);
            if (!sent.ok())
                work.failure = sent.error();
            else
                ++answered;
        }
    });
    state.info("acme: answered " + std::to_string(answered.load()) + " challenge(s)");
}

// Stage validate: each order's authorizations polled until valid (orders in parallel); a
// CA's verdict fails only its own order.
void validate(Client::State& state, Workers& workers, std::vector<OrderWork>& works) {
    workers.for_each(works.size(), [&](acme::AcmeClient& acme, std::size_t i) {
        auto& work = works[i];
        if (work.failure || work.challenges.empty())
            return;
        const auto validated = await_validation(state, acme, work.challenges);
        if (!validated.ok())
            work.failure = validated.error();
        else
            state.info("acme: every authorization of " + work.certificate->name + " is valid");
    });
}

// Waits while the order is pending/processing; returns it once it reaches `wanted`.
Result<acme::Order> await_order(Client::State& state, acme::AcmeClient& acme, acme::Order order,
                                AcmeStatus wanted) {
    Backoff backoff(k_first_poll, k_poll_cap, k_issuance_budget);
    while (order.status != wanted) {
        if (order.status != AcmeStatus::pending && order.status != AcmeStatus::processing &&
            order.status != AcmeStatus::ready) {
            std::string message = "order " + order.url + " is " + to_string(order.status);
            if (order.error)
                return acme::problem_error(message + ": " + order.error->describe(), *order.error);
            return make_error(ErrorKind::acme, message);
        }
        WILDCERT_CHECK(backoff.wait(order.retry_after, "order " + order.url,
                                    to_string(order.status), state.options.cancelled));
        WILDCERT_TRY(order, acme::fetch_order(acme, order.url));
    }
    return order;
}

Result<crypto::PrivateKey> certificate_key(Client::State& state,
                                           const CertificateSettings& certificate) {
    if (certificate.reuse_key) {
        WILDCERT_TRY(const auto current, state.state_dir.current_private_key(certificate.name));
        if (current) {
            auto key = crypto::PrivateKey::from_pem(*current);
            if (key.ok() && key->type() == certificate.key) {
                state.info("key: reusing the current " + std::string(to_string(certificate.key)) +
                           " key (reuse_key = true)");
                return key;
            }
            state.info("key: the current key is not " + std::string(to_string(certificate.key)) +
                       "; generating a new one");
        }
    }
    return crypto::PrivateKey::generate(certificate.key);
}

} // namespace

namespace {

// The order and its authorizations (on a worker: network only).
Result<void> place_and_fetch(Client::State& state, acme::AcmeClient& acme, OrderWork& work) {
    WILDCERT_TRY(work.order, place_order(state, acme, *work.certificate));
    audit(state, {.event = "order-placed",
                  .certificate = work.certificate->name,
                  .names = work.certificate->domains,
                  .detail = work.order.url});
    state.info("acme: order " + work.order.url + " (" +
               std::to_string(work.order.authorizations.size()) + " authorization(s))");
    // Each authorization must be for a name of the certificate (identifier_match.hpp): the
    // records planned from them are written in the user's zones.
    std::vector<std::string> claimed;
    for (const auto& url : work.order.authorizations) {
        WILDCERT_TRY(auto authorization, acme::fetch_authorization(acme, url));
        WILDCERT_CHECK(claim_authorization(authorization, work.certificate->domains, claimed));
        work.authorizations.push_back(std::move(authorization));
    }
    return {};
}

// The records that will answer the authorizations (on the calling thread: the zone cache is
// shared by the batch).
// Given only what it needs: the account key's thumbprint (RFC 8555 §8.1), the TTL and the log.
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

// Finalize, download, check and install, once every authorization is valid.
Result<IssuedFiles> complete_order(Client::State& state, acme::AcmeClient& acme,
                                   const CertificateInstaller& installer, OrderWork& work) {
    const auto& certificate = *work.certificate;
    WILDCERT_TRY(auto order, await_order(state, acme, std::move(work.order), AcmeStatus::ready));
    WILDCERT_TRY(const auto key, certificate_key(state, certificate));
    WILDCERT_TRY(const auto csr, crypto::make_csr_der(key, certificate.domains));
    WILDCERT_TRY(order, acme::finalize_order(acme, order, csr));
    WILDCERT_TRY(order, await_order(state, acme, std::move(order), AcmeStatus::valid));
    if (order.certificate.empty())
        return make_error(ErrorKind::acme,
                          "order " + order.url + " is valid but has no certificate URL");

    WILDCERT_TRY(const auto chain_pem,
                 download_preferred_chain(acme, order.certificate, certificate.preferred_chain,
                                          state.options.log));
    WILDCERT_TRY(auto checked, check_chain(chain_pem, key, certificate.domains));
    // Stage install.
    WILDCERT_TRY(auto live_dir, installer.install(certificate, checked, acme.directory()));
    // In the certificate's order, not the CA's.
    std::vector<std::string> reused;
    for (const auto& domain : certificate.domains) {
        const auto valid = std::any_of(
            work.authorizations.begin(), work.authorizations.end(), [&](const auto& authorization) {
                return authorization.status == AcmeStatus::valid &&
                       (authorization.wildcard ? "*." : "") + authorization.identifier == domain;
            });
        if (valid)
            reused.push_back(domain);
    }

    return IssuedFiles{
        .certificate =
            IssuedCertificate{
                .name = certificate.name,
                .domains = certificate.domains,
                .live_dir = std::move(live_dir),
                .serial_hex = checked.leaf.serial_hex,
                .not_after = checked.leaf.not_after,
            },
        .files = std::move(checked.files),
        .issuer = checked.leaf.issuer_cn,
        .reused_authorizations = std::move(reused),
    };
}

} // namespace

std::vector<Result<IssuedFiles>>
issue_certificates(Client::State& state, const std::vector<CertificateSettings>& certificates,
                   const IssueOptions& options, ZoneFinder& zones) {
    Workers workers(state, options.concurrency);
    std::vector<OrderWork> works;
    for (const auto& certificate : certificates)
        works.push_back(OrderWork{&certificate, {}, {}, {}, std::nullopt});

    // Stage order: newOrder and its authorizations (on the workers: network only).
    workers.for_each(works.size(), [&](acme::AcmeClient& acme, std::size_t i) {
        if (const auto placed = place_and_fetch(state, acme, works[i]); !placed.ok())
            works[i].failure = placed.error();
    });
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
    answer(state, workers, works);
    validate(state, workers, works);
    // On success and on every failure (RFC 8555 §8.4: de-provision once the challenge is
    // valid or invalid), before any finalization.
    (void)publisher.clean_up(added);

    // Stage finalize (and install): CSR, certificate, chain checked, atomic install.
    const store::StateDir& target =
        options.install_into != nullptr ? *options.install_into : state.state_dir;
    const CertificateInstaller installer(
        {.target = target,
         .scratch = &target != &state.state_dir,
         .profile_path = state.profile.path,
         .log = state.log,
         .audit = [&state](const AuditEvent& event) { audit(state, event); }});
    std::vector<std::optional<Result<IssuedFiles>>> done(works.size());
    workers.for_each(works.size(), [&](acme::AcmeClient& acme, std::size_t i) {
        auto& work = works[i];
        if (!work.failure && state.options.cancelled && state.options.cancelled())
            work.failure = Error{ErrorKind::interrupted, "interrupted before finalizing"};
        if (work.failure)
            done[i].emplace(*work.failure);
        else
            done[i].emplace(complete_order(state, acme, installer, work));
    });
    std::vector<Result<IssuedFiles>> results;
    for (auto& result : done)
        results.push_back(std::move(*result));
    return results;
}

} // namespace wildcert::core
