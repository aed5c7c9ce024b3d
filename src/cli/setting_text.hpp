#pragma once
// One setting of a DNS provider or a deployer as `wildcert providers NAME` and `wildcert
// deployers NAME` show it: key, environment variable, type, default, required, secret, help.

#include "providers/descriptor.hpp"

#include <string>

namespace wildcert::cli {

[[nodiscard]] std::string setting_details(const providers::SettingDescriptor& setting);

} // namespace wildcert::cli
