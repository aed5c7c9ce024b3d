#include "config/variable_references.hpp"

#include <algorithm>

namespace wildcert::config {
namespace {

bool starts_name(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

bool continues_name(char c) {
    return starts_name(c) || (c >= '0' && c <= '9');
}

} // namespace

std::vector<std::string> referenced_variables(std::string_view text) {
    std::vector<std::string> names;
    bool line_start = true;
    for (std::size_t i = 0; i < text.size(); ++i) {
        // A whole-line comment reads nothing: the example profiles show keys commented out.
        if (line_start && (text[i] == ' ' || text[i] == '\t'))
            continue;
        if (line_start && text[i] == '#') {
            i = std::min(text.find('\n', i), text.size());
            continue;
        }
        line_start = text[i] == '\n';
        if (text.compare(i, 3, "$${") == 0) {
            i += 2; // an escaped "${": no reference
            continue;
        }
        if (text.compare(i, 2, "${") != 0)
            continue;
        const std::size_t start = i + 2;
        std::size_t end = start;
        if (end < text.size() && starts_name(text[end])) {
            ++end;
            while (end < text.size() && continues_name(text[end]))
                ++end;
        }
        if (end > start && end < text.size() && text[end] == '}') {
            names.emplace_back(text.substr(start, end - start));
            i = end;
        }
    }
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    return names;
}

} // namespace wildcert::config
