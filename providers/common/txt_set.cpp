#include "providers/common/txt_set.hpp"

#include <algorithm>

namespace wildcert::providers::txt_set {
namespace {

bool contains(const std::vector<std::string>& values, const std::string& value) {
    return std::find(values.begin(), values.end(), value) != values.end();
}

} // namespace

std::string quote(std::string_view value) {
    std::string out = "\"";
    for (const char c : value) {
        if (c == '"' || c == '\\')
            out += '\\';
        out += c;
    }
    return out + "\"";
}

Merged with_values(std::vector<std::string> current, std::span<const std::string> values) {
    Merged merged{std::move(current), false};
    for (const auto& value : values) {
        auto quoted = quote(value);
        if (!contains(merged.values, quoted)) {
            merged.values.push_back(std::move(quoted));
            merged.changed = true;
        }
    }
    return merged;
}

Merged without_values(const std::vector<std::string>& current,
                      std::span<const std::string> values) {
    std::vector<std::string> quoted;
    for (const auto& value : values)
        quoted.push_back(quote(value));
    Merged merged;
    for (const auto& value : current) {
        if (!contains(quoted, value))
            merged.values.push_back(value);
    }
    merged.changed = merged.values.size() != current.size();
    return merged;
}

} // namespace wildcert::providers::txt_set
