#include "providers/common/http_settings.hpp"

#include <filesystem>
#include <fstream>

namespace wildcert::providers {
namespace {

constexpr std::chrono::milliseconds k_min_timeout{std::chrono::seconds(1)};
constexpr std::chrono::milliseconds k_max_timeout{std::chrono::minutes(10)};

} // namespace

Result<http::Options> http_options(const Settings& settings, const ProviderContext& context,
                                   std::string_view provider) {
    http::Options options;
    options.user_agent = context.user_agent;
    options.total_timeout = context.request_timeout;
    if (const auto timeout = settings.duration(k_request_timeout_setting.key)) {
        if (*timeout < k_min_timeout || *timeout > k_max_timeout)
            return settings.error(k_request_timeout_setting.key, "must be from 1s to 10m");
        options.total_timeout = *timeout;
    }
    options.read_timeout = std::min(options.read_timeout, options.total_timeout);
    options.connect_timeout = std::min(options.connect_timeout, options.total_timeout);
    const std::string table = "dns." + std::string(provider) + ".";
    options.total_timeout_setting = table + std::string(k_request_timeout_setting.key);
    options.tls_settings = {.ca_bundle = table + std::string(k_ca_bundle_setting.key),
                            .url = table + "api_url"};
    if (const auto bundle = settings.string(k_ca_bundle_setting.key); bundle && !bundle->empty()) {
        // Checked here so the error names the setting; the HTTP client checks the PEM itself.
        std::ifstream in(*bundle);
        if (!in)
            return settings.error(k_ca_bundle_setting.key, "cannot read " + *bundle);
        options.ca_bundle = std::filesystem::path(*bundle);
    }
    return options;
}

} // namespace wildcert::providers
