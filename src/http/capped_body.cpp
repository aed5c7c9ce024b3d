#include "http/capped_body.hpp"

namespace wildcert::http {

std::string format_size(std::uint64_t bytes) {
    constexpr std::uint64_t k_kib = 1024;
    constexpr std::uint64_t k_mib = k_kib * 1024;
    if (bytes >= k_mib && bytes % k_mib == 0)
        return std::to_string(bytes / k_mib) + " MiB";
    if (bytes >= k_kib && bytes % k_kib == 0)
        return std::to_string(bytes / k_kib) + " KiB";
    return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
}

bool CappedBody::announce(std::uint64_t length) {
    if (length > m_limit.max_bytes) {
        m_exceeded = true;
        m_announced = length;
    }
    return !m_exceeded;
}

bool CappedBody::append(std::string_view data) {
    if (m_exceeded || data.size() > m_limit.max_bytes - m_body.size()) {
        m_exceeded = true;
        return false;
    }
    m_body.append(data);
    return true;
}

std::string CappedBody::describe_excess() const {
    std::string text = "the response is larger than the " + format_size(m_limit.max_bytes) +
                       " limit for " + std::string(m_limit.what);
    if (m_announced != 0)
        text += " (Content-Length " + std::to_string(m_announced) + ")";
    return text;
}

} // namespace wildcert::http
