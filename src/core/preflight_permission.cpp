// check_permissions: does the provider let this profile change the TXT set at each owner name?

#include "core/preflight_checks.hpp"
#include "crypto/base64.hpp"

#include <array>
#include <cstdint>
#include <random>

namespace wildcert::core {
namespace {

// 43 characters of base64url, like a real challenge value, that nobody publishes: the probe
// adds it and deletes it again, and must not delete a value someone else put there.
std::string probe_value() {
    std::random_device device;
    std::array<std::uint8_t, 32> bytes{};
    for (auto& byte : bytes)
        byte = static_cast<std::uint8_t>(device());
    return crypto::base64url_encode(bytes);
}

} // namespace

void check_permissions(Client::State& state, const std::vector<ChallengeOwner>& owners,
                       Checks& checks) {
    if (owners.empty())
        return;
    std::vector<TxtRecord> records;
    for (const auto& owner : owners)
        records.push_back(TxtRecord{owner.zone, owner.fqdn, probe_value(), state.profile.dns.ttl});
    const auto results = state.provider->check_permission(records);
    bool probed = false;
    for (const auto& result : results)
        probed = probed || !result.ok() || result->probed;
    if (!probed) {
        // The same words for every name: one line says it.
        checks.add("permission " + state.profile.dns.provider.name, CheckStatus::warning,
                   results.empty() ? "not probed" : results.front()->description);
        return;
    }
    for (std::size_t i = 0; i < owners.size() && i < results.size(); ++i) {
        const std::string subject = "permission " + owners[i].fqdn;
        if (!results[i].ok())
            checks.add(subject, CheckStatus::failed, results[i].error().message);
        else
            checks.add(subject, results[i]->probed ? CheckStatus::ok : CheckStatus::warning,
                       results[i]->description);
    }
}

} // namespace wildcert::core
