#pragma once
// Certificate revocation (RFC 8555 §7.6).

#include "acme/acme_client.hpp"

#include <wildcert/result.hpp>

#include <cstdint>
#include <optional>
#include <span>

namespace wildcert::acme {

// Asks the CA to revoke the certificate `der`, signed with whatever the client signs with: the
// account key (kid) or, after use_account(certificate_key, ""), the certificate's own key
// (jwk). `reason` is an RFC 5280 §5.3.1 CRLReason code; nullopt leaves it out.
// A certificate that is already revoked is an ErrorKind::acme error saying so.
[[nodiscard]] Result<void> revoke_certificate(AcmeClient& client, std::span<const std::uint8_t> der,
                                              std::optional<int> reason);

} // namespace wildcert::acme
