#include "dns/soa_probe.hpp"

#include "dns/asker.hpp"
#include "dns/query.hpp"

namespace wildcert::dns {

Result<std::optional<std::uint32_t>> probe_soa_serial(const ServerAddress& server,
                                                      const std::string& zone,
                                                      std::chrono::milliseconds timeout) {
    return query_soa_serial(*detail::network_asker(), server, zone, timeout);
}

} // namespace wildcert::dns
