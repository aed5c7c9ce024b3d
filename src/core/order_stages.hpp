#pragma once
// The ACME side of a batch (docs/dev/architecture.md, "The parts"): stages order, answer,
// validate and finalize. Given the session, the state directory it reads the current key and
// certificate from (reuse_key, ARI's "replaces"), the log, the cancel flag and where audit
// events go; nothing of DNS, and it writes nothing itself (the installer does).

#include "acme/order.hpp"
#include "core/acme_session.hpp"
#include "core/audit_event.hpp"
#include "core/certificate_installer.hpp"
#include "core/challenge_records.hpp"
#include "core/progress_log.hpp"
#include "core/workers.hpp"
#include "store/state_dir.hpp"

#include <wildcert/client.hpp>
#include <wildcert/profile.hpp>
#include <wildcert/result.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace wildcert::core {

// An issued certificate with the files just installed (for outputs and hooks).
struct IssuedFiles {
    IssuedCertificate certificate;
    store::CertificateFiles files;
    std::string issuer; // issuer common name
    // The names whose authorization the CA had already validated (RFC 8555 §7.1.3, reused):
    // no TXT record was published for them.
    std::vector<std::string> reused_authorizations;
};

// One certificate's order on its way through the batch. `failure` set: it drops out, the
// others go on. `challenges` is planned between the order and answer stages (the challenge
// records: challenge_records.hpp).
struct OrderWork {
    const CertificateSettings* certificate;
    acme::Order order;
    std::vector<acme::Authorization> authorizations;
    std::vector<PendingChallenge> challenges;
    std::optional<Error> failure;
};

class OrderStages {
public:
    struct Parts {
        AcmeSession& session;             // account set up (ensure_account) before the first stage
        const store::StateDir& state_dir; // read only: the current key and certificate
        const ProgressLog& log;
        LogSink sink; // request-level lines (alternate chain downloads)
        std::function<bool()> cancelled;
        AuditSink audit;
        std::size_t concurrency = 1; // orders handled at once, each worker its own connection
    };
    explicit OrderStages(Parts parts);

    // Stage order: newOrder and its authorizations, each claimed for a name of its
    // certificate (identifier_match.hpp). On the workers: network only.
    void place(std::vector<OrderWork>& works);
    // Stage answer: every challenge is answered before any is polled, so the CA validates
    // them together.
    void answer(std::vector<OrderWork>& works);
    // Stage validate: each order's authorizations polled until valid (orders in parallel); a
    // CA's verdict fails only its own order.
    void validate(std::vector<OrderWork>& works);
    // Stage finalize (and install): CSR, certificate, chain checked, then `installer`. One
    // result per work, in order; a work that failed earlier keeps its failure.
    [[nodiscard]] std::vector<Result<IssuedFiles>> finalize(std::vector<OrderWork>& works,
                                                            const CertificateInstaller& installer);

private:
    Result<void> place_one(acme::AcmeClient& acme, OrderWork& work);
    Result<void> await_validation(acme::AcmeClient& acme,
                                  const std::vector<PendingChallenge>& answered);
    Result<acme::Order> await_order(acme::AcmeClient& acme, acme::Order order, AcmeStatus wanted);
    Result<crypto::PrivateKey> certificate_key(const CertificateSettings& certificate);
    Result<IssuedFiles> complete_order(acme::AcmeClient& acme,
                                       const CertificateInstaller& installer, OrderWork& work);

    Parts m_parts;
    Workers m_workers;
};

} // namespace wildcert::core
