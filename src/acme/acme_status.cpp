#include <wildcert/acme_status.hpp>

#include <array>
#include <utility>

namespace wildcert {
namespace {

constexpr std::array<std::pair<AcmeStatus, std::string_view>, 8> k_statuses{{
    {AcmeStatus::pending, "pending"},
    {AcmeStatus::ready, "ready"},
    {AcmeStatus::processing, "processing"},
    {AcmeStatus::valid, "valid"},
    {AcmeStatus::invalid, "invalid"},
    {AcmeStatus::deactivated, "deactivated"},
    {AcmeStatus::expired, "expired"},
    {AcmeStatus::revoked, "revoked"},
}};

} // namespace

const char* to_string(AcmeStatus status) {
    for (const auto& [value, text] : k_statuses) {
        if (value == status)
            return text.data();
    }
    return "invalid";
}

std::optional<AcmeStatus> parse_acme_status(std::string_view text) {
    for (const auto& [value, spelling] : k_statuses) {
        if (spelling == text)
            return value;
    }
    return std::nullopt;
}

} // namespace wildcert
