#include "cli/config_command.hpp"

#include "cli/exit_codes.hpp"
#include "cli/report.hpp"
#include "config/redacted.hpp"
#include "providers/descriptor.hpp"
#include "json/json.hpp"

#include <wildcert/profile.hpp>

#include <iostream>

namespace wildcert::cli {
namespace {

// A provider setting is shown only when its descriptor says it is not a secret. A key the
// descriptor does not list (the loader refuses those, but a plugin may differ) is redacted:
// when unsure, hide it. `<secret>_file` names a file, not the secret, and is shown.
bool is_secret_setting(std::string_view provider, std::string_view key) {
    const auto* descriptor = providers::find_provider(provider);
    if (descriptor == nullptr)
        return true;
    for (const auto& setting : descriptor->settings) {
        if (setting.key == key)
            return setting.secret;
        if (setting.secret && key.size() == setting.key.size() + 5 &&
            key.starts_with(setting.key) && key.ends_with("_file"))
            return false;
    }
    return true;
}

} // namespace

int run_config(const Arguments& arguments) {
    auto profile = load_profile(arguments.profile);
    if (!profile.ok())
        return report_failure(profile.error());
    report_warnings(*profile);
    const auto text = config::describe_profile(*profile, is_secret_setting);
    if (arguments.json) {
        json::Writer out;
        out.begin_object()
            .key("profile")
            .string(profile->path.string())
            .key("certificates")
            .begin_array();
        for (const auto& certificate : profile->certificates)
            out.string(certificate.name);
        out.end_array().key("provider").string(profile->dns.provider.name);
        out.key("toml").string(text).end_object();
        std::cout << out.str() << std::endl;
    } else {
        std::cout << text << std::flush;
    }
    return k_exit_ok;
}

} // namespace wildcert::cli
