#include "core/workers.hpp"

#include <algorithm>
#include <atomic>
#include <thread>

namespace wildcert::core {

struct Workers::Session {
    // Members in this order: acme points at http.
    explicit Session(const AcmeSession& session)
        : http(session.http_options), acme(session.acme->clone_over(http)) {}
    http::Client http;
    acme::AcmeClient acme;
};

Workers::Workers(AcmeSession& session, std::size_t concurrency)
    : m_session(session), m_concurrency(std::max<std::size_t>(1, concurrency)) {}

Workers::~Workers() = default;

acme::AcmeClient& Workers::session(std::size_t worker) {
    if (worker == 0)
        return *m_session.acme;
    while (m_sessions.size() < worker)
        m_sessions.push_back(std::make_unique<Session>(m_session));
    return m_sessions[worker - 1]->acme;
}

void Workers::for_each(std::size_t count,
                       const std::function<void(acme::AcmeClient&, std::size_t)>& job) {
    const std::size_t threads = std::min(m_concurrency, count);
    if (threads <= 1) {
        for (std::size_t i = 0; i < count; ++i)
            job(*m_session.acme, i);
        return;
    }
    std::vector<acme::AcmeClient*> clients;
    for (std::size_t worker = 0; worker < threads; ++worker)
        clients.push_back(&session(worker));
    std::atomic<std::size_t> next{0};
    std::vector<std::jthread> pool;
    for (std::size_t worker = 0; worker < threads; ++worker) {
        pool.emplace_back([&, client = clients[worker]]() {
            for (std::size_t i = next++; i < count; i = next++)
                job(*client, i);
        });
    }
}

} // namespace wildcert::core
