#pragma once
// ACME accounts (RFC 8555 §7.3).

#include "acme/acme_client.hpp"

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
};

// Creates an account for the client's key (or finds the existing one: the CA answers 200
// with its URL). Returns the account URL from the Location header.
[[nodiscard]] Result<std::string> create_account(AcmeClient& client, const NewAccount& request);

} // namespace wildcert::acme
