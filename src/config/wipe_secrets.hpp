#pragma once
// Zeroing the secrets a profile holds once their owner is done with them (secure_wipe.hpp):
// the parsed document and the WILDCERT_* values while loading, the Profile when the client
// that owns it goes away.

#include "config/document.hpp"
#include "config/env_overlay.hpp"

#include <wildcert/profile.hpp>

#include <span>

namespace wildcert::config {

// Every string value of the tree (the document holds inline secrets as written).
void wipe_document(Node& node);

// The values of `variables` (a WILDCERT_* variable may hold a secret).
void wipe_variables(std::span<EnvVariable> variables);

// Every string setting of the provider (which of them are secret is the provider's to know),
// the EAB MAC key and the PKCS#12 passwords of the outputs.
void wipe_profile_secrets(Profile& profile);

} // namespace wildcert::config
