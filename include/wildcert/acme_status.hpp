#pragma once
// The status of an ACME object (RFC 8555 §7.1.6), parsed once where the CA's JSON is read.

#include <optional>
#include <string_view>

namespace wildcert {

enum class AcmeStatus {
    pending,     // order, authorization, challenge: waiting for the client or the CA
    ready,       // order: every authorization is valid, finalize may be sent
    processing,  // order, challenge: the CA is working on it
    valid,       // any object: done
    invalid,     // order, authorization, challenge: failed for good
    deactivated, // account, authorization: ended by its holder
    expired,     // authorization: ran out before it was used
    revoked,     // account, authorization: ended by the CA
};

// The RFC's spelling ("pending", ...).
[[nodiscard]] const char* to_string(AcmeStatus status);
// nullopt for anything that is not one of the RFC's statuses.
[[nodiscard]] std::optional<AcmeStatus> parse_acme_status(std::string_view text);

} // namespace wildcert
