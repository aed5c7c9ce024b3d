#include "cli/providers_command.hpp"

#include "cli/exit_codes.hpp"
#include "cli/setting_text.hpp"
#include "cli/text_wrap.hpp"
#include "providers/descriptor.hpp"

#include <algorithm>
#include <iostream>
#include <string>
#include <string_view>

namespace wildcert::cli {
namespace {

using providers::ProviderDescriptor;

std::string known_names() {
    std::string names;
    for (const auto* provider : providers::all_providers())
        names += (names.empty() ? "" : ", ") + std::string(provider->name);
    return names;
}

std::string provider_list() {
    std::size_t name_width = 0;
    for (const auto* provider : providers::all_providers())
        name_width = std::max(name_width, provider->name.size());
    std::string out = "DNS providers (choose one with dns.provider in the profile):\n";
    for (const auto* provider : providers::all_providers()) {
        out += "  " + std::string(provider->name);
        out.append(name_width - provider->name.size() + 2, ' ');
        out += std::string(provider->summary) + '\n';
    }
    out += "\n'wildcert providers NAME' lists a provider's settings.\n";
    return out;
}

std::string provider_details(const ProviderDescriptor& provider) {
    const std::string name(provider.name);
    std::string out = name + ": " + std::string(provider.summary) + "\n\n";
    out += wrap_text("Settings, in the [dns." + name +
                         "] table of the profile. A key that is not in the table is read from its "
                         "environment variable, else it takes its default.",
                     "");
    for (const auto& setting : provider.settings)
        out += '\n' + setting_details(setting);
    if (provider.settings.empty())
        out += "\n  (none)\n";
    return out;
}

} // namespace

int run_providers(const Arguments& arguments) {
    if (!arguments.provider_name) {
        std::cout << provider_list();
        return k_exit_ok;
    }
    const auto* provider = providers::find_provider(*arguments.provider_name);
    if (provider == nullptr) {
        std::cerr << "wildcert: error: unknown provider \"" << *arguments.provider_name
                  << "\"; known providers: " << known_names() << '\n';
        return k_exit_usage;
    }
    std::cout << provider_details(*provider);
    return k_exit_ok;
}

} // namespace wildcert::cli
