#pragma once

#include "acme/acme_client.hpp"
#include "crypto/private_key.hpp"
#include "store/state_dir.hpp"

#include <wildcert/client.hpp>
#include <wildcert/profile.hpp>
#include <wildcert/result.hpp>

#include <optional>
#include <string>

namespace wildcert::core {

// The EAB key id that, with the directory URL, names the profile's account in the store;
// "" without [acme.eab].
[[nodiscard]] std::string eab_key_id(const AcmeSettings& settings);

// Finds or creates the account for the profile's CA and makes `client` sign with it. The
// account key is kept per (directory URL, EAB key id) and reused across runs; a new key is
// saved before the CA sees it, so a crash cannot orphan an account. A new account carries the
// External Account Binding of [acme.eab]; a CA that requires one when the profile has none is
// an ErrorKind::acme error naming the profile keys to set.
[[nodiscard]] Result<void> set_up_account(acme::AcmeClient& client, const store::StateDir& state,
                                          const AcmeSettings& settings,
                                          std::optional<crypto::PrivateKey>& key,
                                          const LogSink& log);

// Like set_up_account, but never creates an account: for the account commands and revocation,
// which act on the account that issuing created. No stored account is an ErrorKind::acme
// error saying so.
[[nodiscard]] Result<void> open_existing_account(acme::AcmeClient& client,
                                                 const store::StateDir& state,
                                                 const AcmeSettings& settings,
                                                 std::optional<crypto::PrivateKey>& key);

} // namespace wildcert::core
