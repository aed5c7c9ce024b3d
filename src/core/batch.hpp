#pragma once
// One batch of issuance with everything around it: leftovers of earlier runs removed, the
// DNS provider's access to every zone proven (before anything is sent to the CA), the
// connection and the account set up (under the account lock), then issue_certificates.

#include "core/issuance.hpp"

namespace wildcert::core {

// Removes the TXT records that ended runs left behind (the cleanup journal), zone by zone.
// No network request when there are none. An error only when the journal cannot be read.
[[nodiscard]] Result<std::vector<RecordRemoval>> remove_leftovers(Client::State& state);

// remove_leftovers, for the start of a run: what cannot be removed (or a journal that cannot
// be read) is reported, naming journal/ and the records, and stops nothing.
void clean_up_leftovers(Client::State& state);

// Connects and finds or creates the account once per Client. Two runs sharing the state
// directory take turns (locks/account.lock), so they never create two accounts.
[[nodiscard]] Result<void> ensure_account(Client::State& state);

// Errors are given the certificate's name as context. One result per certificate, in order.
[[nodiscard]] std::vector<Result<IssuedFiles>>
issue_batch(Client::State& state, const std::vector<CertificateSettings>& certificates,
            const IssueOptions& options);

} // namespace wildcert::core
