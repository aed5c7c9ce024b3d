#pragma once
// A bounded set of worker threads for the ACME side of a batch: each worker has its own HTTP
// connections and nonce (acme::AcmeClient is not thread-safe), all sign with the one account.

#include "core/acme_session.hpp"

#include <cstddef>
#include <functional>
#include <memory>
#include <vector>

namespace wildcert::core {

class Workers {
public:
    // `concurrency` is the most requests in flight at once (at least 1). The account must be
    // set up on session.acme before the first for_each.
    Workers(AcmeSession& session, std::size_t concurrency);
    ~Workers();
    Workers(const Workers&) = delete;
    Workers& operator=(const Workers&) = delete;

    // Calls job(acme, i) for every i in [0, count), on up to `concurrency` threads, and returns
    // when all are done. Jobs must only touch their own i's data (and log through a ProgressLog).
    void for_each(std::size_t count,
                  const std::function<void(acme::AcmeClient& acme, std::size_t index)>& job);

private:
    struct Session;
    [[nodiscard]] acme::AcmeClient& session(std::size_t worker);

    AcmeSession& m_session;
    std::size_t m_concurrency;
    std::vector<std::unique_ptr<Session>> m_sessions; // worker 0 uses m_session.acme itself
};

} // namespace wildcert::core
