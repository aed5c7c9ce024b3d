#include "core/renewal_decision.hpp"

#include "acme/renewal_info.hpp"
#include "acme/rfc3339.hpp"

#include <memory>
#include <random>

namespace wildcert::core {

RenewalDecision lifetime_decision(const crypto::CertificateInfo& leaf,
                                  std::chrono::system_clock::time_point now, double fraction) {
    const auto lifetime = leaf.not_after - leaf.not_before;
    const auto lead = std::chrono::duration_cast<std::chrono::system_clock::duration>(
        std::chrono::duration<double, std::chrono::system_clock::period>(
            static_cast<double>(lifetime.count()) * fraction));
    RenewalDecision decision;
    decision.renew_at = leaf.not_after - lead;
    decision.due = now >= decision.renew_at;
    decision.reason = std::string(decision.due ? "due" : "not due") +
                      " by the lifetime rule: expires " + acme::format_rfc3339(leaf.not_after) +
                      ", renewal from " + acme::format_rfc3339(decision.renew_at);
    return decision;
}

Result<RenewalDecision> decide_renewal(acme::AcmeClient* acme, std::string_view cert_pem,
                                       std::chrono::system_clock::time_point now,
                                       const std::function<double()>& uniform, double fraction) {
    WILDCERT_TRY(const auto chain, crypto::parse_pem_chain(cert_pem));
    const auto& leaf = chain.front();
    // RFC 9773 §4.3: never ask about an expired certificate; it is simply due.
    if (acme == nullptr || acme->directory().renewal_info.empty() || now >= leaf.not_after)
        return lifetime_decision(leaf, now, fraction);
    const auto cert_id = acme::ari_cert_id(leaf.authority_key_id, leaf.serial_der);
    if (cert_id.empty()) {
        auto decision = lifetime_decision(leaf, now, fraction);
        decision.reason += " (no authority key identifier, so no ARI)";
        return decision;
    }
    auto info = acme::fetch_renewal_info(*acme, cert_id);
    if (!info.ok()) {
        auto decision = lifetime_decision(leaf, now, fraction);
        decision.reason += " (ARI unavailable: " + info.error().message + ")";
        return decision;
    }
    RenewalDecision decision;
    decision.from_ari = true;
    decision.renew_at = acme::pick_renewal_time(*info, uniform);
    decision.due = now >= decision.renew_at;
    decision.explanation_url = info->explanation_url;
    decision.check_again_in = acme::next_renewal_info_check(*info);
    decision.reason = std::string(decision.due ? "due" : "not due") + " by the CA's window " +
                      acme::format_rfc3339(info->window_start) + " .. " +
                      acme::format_rfc3339(info->window_end) + " (ARI): renewal time " +
                      acme::format_rfc3339(decision.renew_at);
    if (!decision.explanation_url.empty())
        decision.reason += ", see " + decision.explanation_url;
    return decision;
}

std::function<double()> system_uniform() {
    auto engine = std::make_shared<std::mt19937_64>(std::random_device{}());
    return [engine]() { return std::uniform_real_distribution<double>(0.0, 1.0)(*engine); };
}

} // namespace wildcert::core
