#pragma once
// How src/dns puts one question to one server. The network asker sends it with ldns; unit
// tests answer from tables of zones, so discovery and the propagation check can be tested
// without a network. Internal to src/dns (exposes ldns types).

#include "dns/ldns_handles.hpp"

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <string_view>

namespace wildcert::dns::detail {

class Asker {
public:
    virtual ~Asker() = default;
    // A reply with any rcode is a value; no reply is an ErrorKind::dns error naming the server.
    [[nodiscard]] virtual Result<PacketPtr> ask(const ServerAddress& server, std::string_view name,
                                                ldns_rr_type type, bool recursion_desired,
                                                std::chrono::milliseconds timeout) const = 0;
};

// UDP, then TCP when the reply is truncated (question.hpp's ask()).
[[nodiscard]] std::shared_ptr<const Asker> network_asker();

// Counts the questions it passes on (for the "Q queries" figure). Thread-safe.
class CountingAsker final : public Asker {
public:
    explicit CountingAsker(std::shared_ptr<const Asker> inner) : m_inner(std::move(inner)) {}
    [[nodiscard]] Result<PacketPtr> ask(const ServerAddress& server, std::string_view name,
                                        ldns_rr_type type, bool recursion_desired,
                                        std::chrono::milliseconds timeout) const override;
    [[nodiscard]] std::size_t count() const { return m_count.load(); }

private:
    std::shared_ptr<const Asker> m_inner;
    mutable std::atomic<std::size_t> m_count{0};
};

} // namespace wildcert::dns::detail
