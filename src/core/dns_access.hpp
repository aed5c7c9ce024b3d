#pragma once
// Before the first ACME request of a run: every certificate's zones are found and the DNS
// provider's access to each is proven (DnsProvider::check_access, as `wildcert check` does),
// so a wrong TSIG secret, port or zone fails in a moment, with no account or order at the CA.

#include "core/challenge_records.hpp"
#include "core/client_state.hpp"

#include <optional>
#include <vector>

namespace wildcert::core {

// One entry per certificate, in order: unset when the zones of all its names were found and
// the provider accepts changes in each. A zone that fails fails the certificates with names in
// it; the others go on. `zones` keeps what it found for the issuance that follows.
[[nodiscard]] std::vector<std::optional<Error>>
check_dns_access(Client::State& state, const std::vector<CertificateSettings>& certificates,
                 ZoneFinder& zones);

} // namespace wildcert::core
