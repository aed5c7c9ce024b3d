#pragma once
// ASCII case folding for protocol names (DNS names, HTTP header names): std::tolower without
// the locale, so a name folds the same way on every machine.

#include <string>

namespace wildcert::common {

[[nodiscard]] inline std::string ascii_lower(std::string text) {
    for (auto& c : text) {
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    }
    return text;
}

} // namespace wildcert::common
