#include "deployers/endpoint_verification.hpp"

#include "acme/rfc3339.hpp"
#include "common/cancellable_wait.hpp"
#include "common/printable.hpp"
#include "crypto/certificate.hpp"
#include "http/tls_probe.hpp"

#include <algorithm>

namespace wildcert::deployers {
namespace {

using Steady = std::chrono::steady_clock;

// One probe may take this long; a verification of several tries gets fresh ones.
constexpr std::chrono::seconds k_probe_limit{5};
constexpr std::chrono::milliseconds k_first_pause{100};
constexpr std::chrono::milliseconds k_longest_pause{2000};

std::string describe(const ServedCertificate& served) {
    return "serves " + common::printable(served.subject) + ", serial " + served.serial_hex +
           ", expires " + acme::format_rfc3339(served.not_after);
}

} // namespace

std::string endpoint_name(const VerifyEndpoint& endpoint, const std::string& default_sni) {
    const std::string& sni = endpoint.sni.empty() ? default_sni : endpoint.sni;
    return common::printable(endpoint.address) +
           (sni.empty() ? std::string() : " (sni " + common::printable(sni) + ")");
}

Result<ServedCertificate> probe_endpoint(const VerifyEndpoint& endpoint,
                                         const std::string& default_sni,
                                         Steady::time_point deadline) {
    const std::string& sni = endpoint.sni.empty() ? default_sni : endpoint.sni;
    WILDCERT_TRY(const auto der, http::served_leaf_der(endpoint.address, sni, deadline));
    WILDCERT_TRY(const auto info, crypto::parse_der_certificate(der));
    return ServedCertificate{.sha256_hex = info.sha256_hex,
                             .subject = info.subject,
                             .serial_hex = info.serial_hex,
                             .dns_names = info.dns_names,
                             .not_after = info.not_after};
}

VerifyOutcome verify_endpoint(const VerifyEndpoint& endpoint, const std::string& expected_sha256,
                              const std::string& default_sni, std::chrono::milliseconds timeout,
                              const std::function<bool()>& cancelled) {
    const auto give_up = Steady::now() + timeout;
    auto pause = k_first_pause;
    VerifyOutcome outcome;
    // What the endpoint last served says more than a try the deadline cut short.
    std::string last_served;
    std::string last_error;
    for (;;) {
        const auto deadline = std::min(give_up, Steady::now() + k_probe_limit);
        auto served = probe_endpoint(endpoint, default_sni, deadline);
        if (served.ok()) {
            outcome.served_sha = served->sha256_hex;
            if (served->sha256_hex == expected_sha256) {
                outcome.ok = true;
                return outcome;
            }
            last_served = describe(*served) + ", not the new certificate";
        } else {
            last_error = served.error().message;
        }
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(give_up - Steady::now());
        if (left <= std::chrono::milliseconds(0) ||
            !common::wait_for(std::min(pause, left), cancelled))
            break;
        pause = std::min(pause * 2, k_longest_pause);
    }
    outcome.failure = "verify " + endpoint_name(endpoint, default_sni) + ": " +
                      (last_served.empty() ? last_error : last_served);
    return outcome;
}

} // namespace wildcert::deployers
