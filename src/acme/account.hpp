#pragma once
// ACME accounts (RFC 8555 §7.3).

#include "acme/acme_client.hpp"

#include <wildcert/acme_status.hpp>
#include <wildcert/result.hpp>

#include <optional>
#include <string>
#include <vector>

namespace wildcert::acme {

// Asks for the account of the client's key without creating one (onlyReturnExisting,
// §7.3.1). Returns its URL, or nullopt when the CA knows no account for this key.
[[nodiscard]] Result<std::optional<std::string>> find_account(AcmeClient& client);

struct NewAccount {
    std::vector<std::string> contact; // "mailto:..."
    bool terms_agreed = false;
    // RFC 8555 §7.3.4: the externalAccountBinding JWS (eab.hpp), "" for none. eab_key_id names
    // the binding in messages; the MAC key never reaches this layer.
    std::string external_account_binding;
    std::string eab_key_id;
};

// Creates an account for the client's key (or finds the existing one: the CA answers 200
// with its URL). Returns the account URL from the Location header.
[[nodiscard]] Result<std::string> create_account(AcmeClient& client, const NewAccount& request);

// The account object as the CA reports it (RFC 8555 §7.1.2).
struct AccountObject {
    AcmeStatus status = AcmeStatus::valid; // valid, deactivated or revoked
    std::vector<std::string> contact;
};

// POST-as-GET of the client's account URL.
[[nodiscard]] Result<AccountObject> fetch_account(AcmeClient& client);

// Replaces the account's contact list (§7.3.2); an empty list removes every contact.
[[nodiscard]] Result<AccountObject> update_contact(AcmeClient& client,
                                                   const std::vector<std::string>& contact);

// Deactivates the account (§7.3.6). Irreversible at the CA: the key can never be used again.
[[nodiscard]] Result<void> deactivate_account(AcmeClient& client);

// Account key rollover (§7.3.5): the outer JWS is signed by the client's current key with its
// kid, the inner one by `new_key` with its jwk, over {"account", "oldKey"}. On success the
// CA knows the account only by `new_key`; the caller then switches the client to it.
[[nodiscard]] Result<void> change_key(AcmeClient& client, const crypto::PrivateKey& new_key);

} // namespace wildcert::acme
