#pragma once

#include "acme/acme_client.hpp"
#include "crypto/private_key.hpp"
#include "store/state_dir.hpp"

#include <wildcert/client.hpp>
#include <wildcert/profile.hpp>
#include <wildcert/result.hpp>

#include <optional>

namespace wildcert::core {

// Finds or creates the account for the profile's CA and makes `client` sign with it. The
// account key is kept per directory URL and reused across runs; a new key is saved before the
// CA sees it, so a crash cannot orphan an account.
[[nodiscard]] Result<void> set_up_account(acme::AcmeClient& client, const store::StateDir& state,
                                          const AcmeSettings& settings,
                                          std::optional<crypto::PrivateKey>& key,
                                          const LogSink& log);

} // namespace wildcert::core
