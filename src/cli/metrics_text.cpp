#include "cli/metrics_text.hpp"

#include <cmath>
#include <cstdio>

namespace wildcert::cli {
namespace {

// Whole numbers (timestamps, counts) are written without a fraction or an exponent.
std::string number(double value) {
    char text[64];
    if (std::isfinite(value) && value == std::floor(value) && std::fabs(value) < 1e15)
        std::snprintf(text, sizeof text, "%.0f", value);
    else
        std::snprintf(text, sizeof text, "%.17g", value);
    return text;
}

} // namespace

std::string escape_label_value(const std::string& value) {
    std::string out;
    out.reserve(value.size());
    for (const char c : value) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

std::string metrics_text(const std::vector<MetricFamily>& families) {
    std::string out;
    for (const auto& family : families) {
        out += "# HELP " + family.name + " " + family.help + "\n";
        out += "# TYPE " + family.name + " " + family.type + "\n";
        for (const auto& sample : family.samples) {
            out += family.name;
            if (!sample.labels.empty()) {
                out += "{";
                for (std::size_t i = 0; i < sample.labels.size(); ++i)
                    out += (i == 0 ? "" : ",") + sample.labels[i].first + "=\"" +
                           escape_label_value(sample.labels[i].second) + "\"";
                out += "}";
            }
            out += " " + number(sample.value) + "\n";
        }
    }
    return out;
}

} // namespace wildcert::cli
