#pragma once
// ACME Renewal Information (RFC 9773): the CA's suggested renewal window for a certificate.

#include "acme/acme_client.hpp"

#include <wildcert/result.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace wildcert::acme {

// RFC 9773 §4.1: base64url(AKI keyIdentifier) "." base64url(serial DER content octets), both
// unpadded. `serial_der` keeps the 0x00 sign byte (crypto::CertificateInfo::serial_der).
// "" when the certificate has no authority key identifier: it then has no ARI identity.
[[nodiscard]] std::string ari_cert_id(std::span<const std::uint8_t> authority_key_id,
                                      std::span<const std::uint8_t> serial_der);

// RFC 9773 §4.2
struct RenewalInfo {
    std::chrono::system_clock::time_point window_start;
    std::chrono::system_clock::time_point window_end;
    std::string explanation_url;                     // "" when absent
    std::optional<std::chrono::seconds> retry_after; // as sent, before clamping
};

// Parses a RenewalInfo body; a window whose end is not after its start is invalid (§4.2).
[[nodiscard]] Result<RenewalInfo> parse_renewal_info(std::string_view body);

// GET <renewalInfo>/<cert_id> (unauthenticated, §4.1). The directory must offer renewalInfo.
[[nodiscard]] Result<RenewalInfo> fetch_renewal_info(AcmeClient& client,
                                                     const std::string& cert_id);

// §4.3: when to ask again. Retry-After clamped to [1 min, 1 day]; absent: 6 hours.
[[nodiscard]] std::chrono::seconds next_renewal_info_check(const RenewalInfo& info);

// §4.2: a uniformly random instant in [start, end). `uniform` returns a value in [0, 1);
// it is injected so tests are deterministic.
[[nodiscard]] std::chrono::system_clock::time_point
pick_renewal_time(const RenewalInfo& info, const std::function<double()>& uniform);

} // namespace wildcert::acme
