#include "dns/asker.hpp"

#include "dns/question.hpp"

namespace wildcert::dns::detail {
namespace {

class NetworkAsker final : public Asker {
public:
    [[nodiscard]] Result<PacketPtr> ask(const ServerAddress& server, std::string_view name,
                                        ldns_rr_type type, bool recursion_desired,
                                        std::chrono::milliseconds timeout) const override {
        return detail::ask(server, name, type, recursion_desired, timeout);
    }
};

} // namespace

std::shared_ptr<const Asker> network_asker() {
    static const auto asker = std::make_shared<const NetworkAsker>();
    return asker;
}

Result<PacketPtr> CountingAsker::ask(const ServerAddress& server, std::string_view name,
                                     ldns_rr_type type, bool recursion_desired,
                                     std::chrono::milliseconds timeout) const {
    ++m_count;
    return m_inner->ask(server, name, type, recursion_desired, timeout);
}

} // namespace wildcert::dns::detail
