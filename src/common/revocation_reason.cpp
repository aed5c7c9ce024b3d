#include <wildcert/revocation.hpp>

#include <array>
#include <utility>

namespace wildcert {
namespace {

// RFC 5280 §5.3.1 CRLReason, with the ASN.1 spelling users find in documentation.
constexpr std::array<std::pair<RevocationReason, std::string_view>, 10> k_reason_names{{
    {RevocationReason::unspecified, "unspecified"},
    {RevocationReason::key_compromise, "keyCompromise"},
    {RevocationReason::ca_compromise, "cACompromise"},
    {RevocationReason::affiliation_changed, "affiliationChanged"},
    {RevocationReason::superseded, "superseded"},
    {RevocationReason::cessation_of_operation, "cessationOfOperation"},
    {RevocationReason::certificate_hold, "certificateHold"},
    {RevocationReason::remove_from_crl, "removeFromCRL"},
    {RevocationReason::privilege_withdrawn, "privilegeWithdrawn"},
    {RevocationReason::aa_compromise, "aACompromise"},
}};

} // namespace

std::optional<RevocationReason> parse_revocation_reason(std::string_view name) {
    for (const auto& [reason, text] : k_reason_names) {
        if (text == name)
            return reason;
    }
    return std::nullopt;
}

const char* to_string(RevocationReason reason) {
    for (const auto& [known, text] : k_reason_names) {
        if (known == reason)
            return text.data();
    }
    return "unknown";
}

std::vector<std::string_view> revocation_reason_names() {
    std::vector<std::string_view> names;
    for (const auto& entry : k_reason_names)
        names.push_back(entry.second);
    return names;
}

} // namespace wildcert
