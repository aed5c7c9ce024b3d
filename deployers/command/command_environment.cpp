#include "deployers/command/command_environment.hpp"

#include <algorithm>
#include <array>
#include <string_view>

namespace wildcert::deployers {
namespace {

constexpr std::array<std::string_view, 11> k_variables{
    "WILDCERT_NAME",   "WILDCERT_DOMAINS",   "WILDCERT_LIVE_DIR", "WILDCERT_CERT",
    "WILDCERT_CHAIN",  "WILDCERT_FULLCHAIN", "WILDCERT_KEY",      "WILDCERT_OUTPUTS",
    "WILDCERT_SERIAL", "WILDCERT_NOT_AFTER", "WILDCERT_DRY_RUN",
};

bool is_deploy_variable(std::string_view entry) {
    const auto name = entry.substr(0, entry.find('='));
    return std::find(k_variables.begin(), k_variables.end(), name) != k_variables.end();
}

// Lists are space-separated: domain names have no spaces, and paths with one are rare enough
// that a hook can use the single-file variables instead.
template <typename Range, typename Text>
std::string space_separated(const Range& items, Text text) {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty())
            out += ' ';
        out += text(item);
    }
    return out;
}

} // namespace

std::vector<std::string> deploy_environment(const DeployContext& context,
                                            std::span<const std::string> inherited) {
    std::vector<std::string> environment;
    environment.reserve(inherited.size() + k_variables.size());
    for (const auto& entry : inherited) {
        if (!is_deploy_variable(entry))
            environment.push_back(entry);
    }
    const auto same = [](const std::string& text) { return text; };
    const auto path = [](const std::filesystem::path& file) { return file.string(); };
    const std::array<std::string, k_variables.size()> values{
        context.name,
        space_separated(context.domains, same),
        context.live_dir.string(),
        context.cert.string(),
        context.chain.string(),
        context.fullchain.string(),
        context.key.string(),
        space_separated(context.outputs, path),
        context.serial_hex,
        context.not_after,
        context.dry_run ? "1" : "0",
    };
    for (std::size_t i = 0; i < k_variables.size(); ++i)
        environment.push_back(std::string(k_variables[i]) + "=" + values[i]);
    return environment;
}

} // namespace wildcert::deployers
