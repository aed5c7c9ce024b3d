#pragma once
// The Prometheus text exposition format (version 0.0.4) for `wildcert metrics`: families with
// HELP and TYPE lines, label values escaped as the format says (backslash, quote, newline).

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace wildcert::cli {

using MetricLabels = std::vector<std::pair<std::string, std::string>>;

struct MetricSample {
    MetricLabels labels;
    double value = 0;
};

struct MetricFamily {
    std::string name; // "wildcert_certificate_expiry_timestamp_seconds"
    std::string help;
    std::string type = "gauge";
    std::vector<MetricSample> samples;
};

[[nodiscard]] std::string escape_label_value(const std::string& value);
[[nodiscard]] std::string metrics_text(const std::vector<MetricFamily>& families);

} // namespace wildcert::cli
