#pragma once
// The audit trail (<state>/audit.log): every operation that changes something at the CA, in
// DNS, in the state directory or on a deploy target, as one JSON line:
//   {"time":"2026-11-29T10:00:00Z","event":"certificate-issued","certificate":"web",
//    "names":["*.example.com","example.com"],"serial":"0a1b...","not_after":"...",
//    "outcome":"ok","detail":"..."}
// Events: account-registered, order-placed, records-added, records-removed,
// certificate-issued, certificate-failed, outputs-written, hook-run, certificate-revoked,
// certificate-deleted, account-key-rolled-over, account-deactivated. Never a secret: no keys, no
// TSIG or API credentials, no PKCS#12 passwords (callers pass names, URLs, serials and messages
// only).

#include "core/audit_event.hpp"
#include "core/client_state.hpp"
#include "core/record_publishing.hpp"

#include <string>

namespace wildcert::core {

// Appends the event; a log that cannot be written is reported on the log sink and does not
// fail the operation (the certificate matters more than its record).
void audit(const Client::State& state, const AuditEvent& event);

// Record events that audit every provider call (records-added, records-removed: the owner
// names, how many values in which zones, `context` and the error) and log `info` lines.
[[nodiscard]] RecordEvents audited_record_events(const Client::State& state, std::string context);

} // namespace wildcert::core
