#include "cli/setting_text.hpp"

#include "cli/text_wrap.hpp"

#include <string_view>

namespace wildcert::cli {
namespace {

using providers::SettingType;

constexpr std::string_view k_field_indent = "    ";
constexpr std::size_t k_label_width = 13;

std::string_view type_name(SettingType type) {
    switch (type) {
    case SettingType::string:
        return "string";
    case SettingType::integer:
        return "integer";
    case SettingType::boolean:
        return "boolean";
    case SettingType::duration:
        return "duration";
    }
    return "value";
}

std::string field(std::string_view label, std::string_view value) {
    std::string line(k_field_indent);
    line += label;
    line.append(k_label_width > label.size() ? k_label_width - label.size() : 1, ' ');
    line += value;
    return line + '\n';
}

} // namespace

std::string setting_details(const providers::SettingDescriptor& setting) {
    std::string out = "  " + std::string(setting.key) + '\n';
    out += field("environment", setting.env.empty() ? "(none)" : setting.env);
    out += field("type", type_name(setting.type));
    out += field("default", setting.default_value.empty() ? "(none)" : setting.default_value);
    out += field("required", setting.required ? "yes" : "no");
    out += field("secret", setting.secret ? "yes: never printed; may also be given as " +
                                                std::string(setting.key) + "_file"
                                          : std::string("no"));
    out += wrap_text(setting.help, std::string(k_field_indent));
    return out;
}

} // namespace wildcert::cli
