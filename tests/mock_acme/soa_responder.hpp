#pragma once
// A UDP DNS responder on 127.0.0.1 that answers every question with an SOA at the asked name,
// so that the core's zone discovery works in unit tests without a network or a BIND. Only for
// flows where the DNS side is not under test (propagation_check = "none", exec provider).

#include <wildcert/result.hpp>

#include <atomic>
#include <string>
#include <thread>

namespace wildcert::mock_acme {

class SoaResponder {
public:
    SoaResponder() = default;
    SoaResponder(const SoaResponder&) = delete;
    SoaResponder& operator=(const SoaResponder&) = delete;
    ~SoaResponder();

    [[nodiscard]] Result<void> start();
    // "127.0.0.1:PORT", for dns.resolvers.
    [[nodiscard]] std::string address() const;

private:
    void serve();
    int m_fd = -1;
    int m_port = 0;
    std::atomic<bool> m_stop{false};
    std::thread m_thread;
};

} // namespace wildcert::mock_acme
