#include "core/order_stages.hpp"

#include "core/certificate_files.hpp"
#include "core/chain_choice.hpp"
#include "core/identifier_match.hpp"
#include "core/order_placement.hpp"
#include "core/wait_status.hpp"
#include "core/waiting.hpp"
#include "crypto/csr.hpp"

#include <algorithm>
#include <atomic>

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

// The names of `certificate` whose authorization the CA had already validated, in the
// certificate's order, not the CA's.
std::vector<std::string> reused_names(const CertificateSettings& certificate,
                                      const std::vector<acme::Authorization>& authorizations) {
    std::vector<std::string> reused;
    for (const auto& domain : certificate.domains) {
        const auto valid = std::any_of(
            authorizations.begin(), authorizations.end(), [&](const auto& authorization) {
                return authorization.status == AcmeStatus::valid &&
                       (authorization.wildcard ? "*." : "") + authorization.identifier == domain;
            });
        if (valid)
            reused.push_back(domain);
    }
    return reused;
}

} // namespace

OrderStages::OrderStages(Parts parts)
    : m_parts(std::move(parts)), m_workers(m_parts.session, m_parts.concurrency) {}

void OrderStages::place(std::vector<OrderWork>& works) {
    m_workers.for_each(works.size(), [&](acme::AcmeClient& acme, std::size_t i) {
        if (works[i].failure)
            return;
        if (const auto placed = place_one(acme, works[i]); !placed.ok())
            works[i].failure = placed.error();
    });
}

Result<void> OrderStages::place_one(acme::AcmeClient& acme, OrderWork& work) {
    WILDCERT_TRY(work.order, place_order(m_parts.session, m_parts.state_dir, m_parts.log, acme,
                                         *work.certificate));
    if (m_parts.audit)
        m_parts.audit({.event = "order-placed",
                       .certificate = work.certificate->name,
                       .names = work.certificate->domains,
                       .detail = work.order.url});
    m_parts.log.info("acme: order " + work.order.url + " (" +
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

void OrderStages::answer(std::vector<OrderWork>& works) {
    const bool any = std::any_of(works.begin(), works.end(), [](const OrderWork& work) {
        return !work.failure && !work.challenges.empty();
    });
    if (!any)
        return;
    std::atomic<std::size_t> answered{0};
    m_workers.for_each(works.size(), [&](acme::AcmeClient& acme, std::size_t i) {
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
    m_parts.log.info("acme: answered " + std::to_string(answered.load()) + " challenge(s)");
}

void OrderStages::validate(std::vector<OrderWork>& works) {
    m_workers.for_each(works.size(), [&](acme::AcmeClient& acme, std::size_t i) {
        auto& work = works[i];
        if (work.failure || work.challenges.empty())
            return;
        const auto validated = await_validation(acme, work.challenges);
        if (!validated.ok())
            work.failure = validated.error();
        else
            m_parts.log.info("acme: every authorization of " + work.certificate->name +
                             " is valid");
    });
}

// Polls every answered authorization until all are valid; the first invalid one ends it.
Result<void> OrderStages::await_validation(acme::AcmeClient& acme,
                                           const std::vector<PendingChallenge>& answered) {
    std::vector<const PendingChallenge*> waiting;
    for (const auto& challenge : answered)
        waiting.push_back(&challenge);
    Backoff backoff(k_first_poll, k_poll_cap, k_validation_budget);
    // The status line goes when the wait ends, however it ends.
    struct StatusCleared {
        const ProgressLog& log;
        ~StatusCleared() { log.status({}); }
    } const cleared{m_parts.log};
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
        m_parts.log.status(validation_status(answered.size() - still.size(), answered.size(),
                                             pending, backoff.left()));
        waiting = std::move(still);
        WILDCERT_CHECK(backoff.wait(retry_after, "authorization for " + waiting.front()->identifier,
                                    to_string(AcmeStatus::pending), m_parts.cancelled));
    }
}

// Waits while the order is pending/processing; returns it once it reaches `wanted`.
Result<acme::Order> OrderStages::await_order(acme::AcmeClient& acme, acme::Order order,
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
                                    to_string(order.status), m_parts.cancelled));
        WILDCERT_TRY(order, acme::fetch_order(acme, order.url));
    }
    return order;
}

Result<crypto::PrivateKey> OrderStages::certificate_key(const CertificateSettings& certificate) {
    if (certificate.reuse_key) {
        WILDCERT_TRY(const auto current, m_parts.state_dir.current_private_key(certificate.name));
        if (current) {
            auto key = crypto::PrivateKey::from_pem(*current);
            const std::string wanted(to_string(certificate.key));
            if (key.ok() && key->type() == certificate.key) {
                m_parts.log.info("key: reusing the current " + wanted + " key (reuse_key = true)");
                return key;
            }
            m_parts.log.info("key: the current key is not " + wanted + "; generating a new one");
        }
    }
    return crypto::PrivateKey::generate(certificate.key);
}

std::vector<Result<IssuedFiles>> OrderStages::finalize(std::vector<OrderWork>& works,
                                                       const CertificateInstaller& installer) {
    std::vector<std::optional<Result<IssuedFiles>>> done(works.size());
    m_workers.for_each(works.size(), [&](acme::AcmeClient& acme, std::size_t i) {
        auto& work = works[i];
        if (!work.failure && m_parts.cancelled && m_parts.cancelled())
            work.failure = Error{ErrorKind::interrupted, "interrupted before finalizing"};
        if (work.failure)
            done[i].emplace(*work.failure);
        else
            done[i].emplace(complete_order(acme, installer, work));
    });
    std::vector<Result<IssuedFiles>> results;
    for (auto& result : done)
        results.push_back(std::move(*result));
    return results;
}

// Finalize, download, check and install, once every authorization is valid.
Result<IssuedFiles> OrderStages::complete_order(acme::AcmeClient& acme,
                                                const CertificateInstaller& installer,
                                                OrderWork& work) {
    const auto& certificate = *work.certificate;
    WILDCERT_TRY(auto order, await_order(acme, std::move(work.order), AcmeStatus::ready));
    WILDCERT_TRY(const auto key, certificate_key(certificate));
    WILDCERT_TRY(const auto csr, crypto::make_csr_der(key, certificate.domains));
    WILDCERT_TRY(order, acme::finalize_order(acme, order, csr));
    WILDCERT_TRY(order, await_order(acme, std::move(order), AcmeStatus::valid));
    if (order.certificate.empty())
        return make_error(ErrorKind::acme,
                          "order " + order.url + " is valid but has no certificate URL");

    WILDCERT_TRY(const auto chain_pem,
                 download_preferred_chain(acme, order.certificate, certificate.preferred_chain,
                                          m_parts.sink));
    WILDCERT_TRY(auto checked, check_chain(chain_pem, key, certificate.domains));
    // Stage install.
    WILDCERT_TRY(auto live_dir, installer.install(certificate, checked, acme.directory()));
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
        .reused_authorizations = reused_names(certificate, work.authorizations),
    };
}

} // namespace wildcert::core
