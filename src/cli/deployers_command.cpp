#include "cli/deployers_command.hpp"

#include "cli/exit_codes.hpp"
#include "cli/setting_text.hpp"
#include "cli/text_wrap.hpp"
#include "deployers/descriptor.hpp"

#include <algorithm>
#include <iostream>
#include <string>

namespace wildcert::cli {
namespace {

using deployers::DeployerDescriptor;

std::string known_names() {
    std::string names;
    for (const auto* deployer : deployers::all_deployers())
        names += (names.empty() ? "" : ", ") + std::string(deployer->name);
    return names;
}

std::string deployer_list() {
    std::size_t name_width = 0;
    for (const auto* deployer : deployers::all_deployers())
        name_width = std::max(name_width, deployer->name.size());
    std::string out = "Deployers (choose with type = \"NAME\" in [[certificate.deploy]]):\n";
    for (const auto* deployer : deployers::all_deployers()) {
        out += "  " + std::string(deployer->name);
        out.append(name_width - deployer->name.size() + 2, ' ');
        out += std::string(deployer->summary) + '\n';
    }
    out += "\n'wildcert deployers NAME' lists a deployer's keys.\n";
    return out;
}

std::string deployer_details(const DeployerDescriptor& deployer) {
    const std::string name(deployer.name);
    std::string out = name + ": " + std::string(deployer.summary) + "\n\n";
    if (deployer.factory == nullptr) {
        out += wrap_text("Keys, in the [[certificate.deploy]] table: command (an array: the "
                         "program, then its arguments; run without a shell) and timeout (a "
                         "duration, default 60s). Every entry also takes verify, "
                         "verify_timeout (see wildcert.toml(5)).",
                         "");
        return out;
    }
    out += wrap_text("Keys, in the [[certificate.deploy]] table (type = \"" + name +
                         "\") or in one of its targets = [{ ... }], whose keys override the "
                         "entry's. Every entry also takes targets, verify, verify_timeout and "
                         "dry_run (see wildcert.toml(5)).",
                     "");
    for (const auto& setting : deployer.settings)
        out += '\n' + setting_details(setting);
    return out;
}

} // namespace

int run_deployers(const Arguments& arguments) {
    if (!arguments.deployer_name) {
        std::cout << deployer_list();
        return k_exit_ok;
    }
    const auto* deployer = deployers::find_deployer(*arguments.deployer_name);
    if (deployer == nullptr) {
        std::cerr << "wildcert: error: unknown deployer \"" << *arguments.deployer_name
                  << "\"; known deployers: " << known_names() << '\n';
        return k_exit_usage;
    }
    std::cout << deployer_details(*deployer);
    return k_exit_ok;
}

} // namespace wildcert::cli
