#pragma once
// Whether a stored certificate is due for renewal: the CA's ARI window (RFC 9773) when its
// directory offers renewalInfo, else the lifetime rule. For the renew command.

#include "acme/acme_client.hpp"
#include "crypto/certificate.hpp"

#include <wildcert/renewal.hpp>
#include <wildcert/result.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace wildcert::core {

// Renew once less than `fraction` of the lifetime (notAfter - notBefore) is left.
[[nodiscard]] RenewalDecision lifetime_decision(const crypto::CertificateInfo& leaf,
                                                std::chrono::system_clock::time_point now,
                                                double fraction = 1.0 / 3.0);

// The decision for `cert_pem` (leaf first). `acme` may be null (offline: lifetime rule). With
// ARI the time is a uniformly random instant of the window (`uniform` in [0, 1), injected for
// tests); a window in the past means due now. When the ARI request fails, the lifetime rule
// decides and the reason says why ARI was not used. Errors only for an unreadable certificate.
[[nodiscard]] Result<RenewalDecision> decide_renewal(acme::AcmeClient* acme,
                                                     std::string_view cert_pem,
                                                     std::chrono::system_clock::time_point now,
                                                     const std::function<double()>& uniform,
                                                     double fraction = 1.0 / 3.0);

// A uniform [0, 1) source seeded from std::random_device.
[[nodiscard]] std::function<double()> system_uniform();

} // namespace wildcert::core
