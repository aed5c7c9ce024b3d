#pragma once
// The ACME session part of a run (docs/dev/architecture.md §2, "The parts"): the HTTP client
// towards the CA, the connection (directory, nonces: acme::AcmeClient), the account key it
// signs with, and the serialization of newOrder. Built from transport settings alone; the
// account is found or created on first use.

#include "acme/acme_client.hpp"
#include "core/progress_log.hpp"
#include "crypto/private_key.hpp"
#include "http/http_client.hpp"
#include "store/state_dir.hpp"

#include <wildcert/profile.hpp>
#include <wildcert/result.hpp>

#include <mutex>
#include <optional>

namespace wildcert::core {

struct AcmeSession {
    AcmeSession(const http::Options& options, acme::RetryPolicy policy)
        : http_options(options), http(options), retry_policy(std::move(policy)) {}
    AcmeSession(const AcmeSession&) = delete;
    AcmeSession& operator=(const AcmeSession&) = delete;

    // Connects to settings.directory_url and finds or creates the account there, once (a
    // second call does nothing). Two runs sharing the state directory take turns
    // (locks/account-*.lock), so they never create two accounts. True when this call created
    // the account (for the audit trail).
    [[nodiscard]] Result<bool> ensure_account(const AcmeSettings& settings,
                                              const store::StateDir& state_dir,
                                              const ProgressLog& log, const LogSink& sink);
    // Forgets the connection and the key (a dry run switches to another directory).
    void reset() {
        acme.reset();
        account_key.reset();
    }

    http::Options http_options; // for the workers' own connections
    http::Client http;
    acme::RetryPolicy retry_policy;
    std::optional<acme::AcmeClient> acme; // connected by ensure_account
    std::optional<crypto::PrivateKey> account_key;
    std::mutex order_mutex; // one newOrder at a time (order_placement.cpp says why)
};

} // namespace wildcert::core
