#include "config/wipe_secrets.hpp"

#include "common/secure_wipe.hpp"

namespace wildcert::config {

void wipe_document(Node& node) {
    // Depth is bounded by toml_limits.hpp (and by the overlay, which adds one level).
    secure_wipe(node.string);
    for (auto& element : node.array)
        wipe_document(element);
    for (auto& entry : node.table)
        wipe_document(entry.value);
}

void wipe_variables(std::span<EnvVariable> variables) {
    for (auto& variable : variables)
        secure_wipe(variable.value);
}

void wipe_profile_secrets(Profile& profile) {
    for (auto& [key, setting] : profile.dns.provider.settings) {
        if (auto* text = std::get_if<std::string>(&setting.value))
            secure_wipe(*text);
    }
    if (profile.acme.eab)
        secure_wipe(profile.acme.eab->hmac_key);
    for (auto& certificate : profile.certificates) {
        for (auto& output : certificate.outputs)
            secure_wipe(output.password);
    }
}

} // namespace wildcert::config
