#include "providers/cloudflare/cloudflare_provider.hpp"
#include "providers/descriptor.hpp"
#include "providers/exec/exec_provider.hpp"
#include "providers/powerdns/powerdns_provider.hpp"
#include "providers/rfc2136/rfc2136_provider.hpp"
#include "providers/route53/route53_provider.hpp"

#include <array>

namespace wildcert::providers {
namespace {

// Every provider compiled in; `wildcert providers` and validation read this list.
constexpr std::array<const ProviderDescriptor*, 5> k_providers{
    &rfc2136::k_descriptor, &cloudflare::k_descriptor, &exec::k_descriptor,
    &route53::k_descriptor, &powerdns::k_descriptor,
};

} // namespace

std::span<const ProviderDescriptor* const> all_providers() {
    return k_providers;
}

const ProviderDescriptor* find_provider(std::string_view name) {
    for (const auto* provider : k_providers) {
        if (provider->name == name)
            return provider;
    }
    return nullptr;
}

} // namespace wildcert::providers
