// The Prometheus text format of `wildcert metrics` (cli/metrics_text): HELP and TYPE per
// family, label values escaped, whole numbers without an exponent.
#include "cli/metrics_text.hpp"

#include <doctest/doctest.h>

using wildcert::cli::MetricFamily;

TEST_CASE("metrics text: families, escaped labels, whole-number values") {
    const std::vector<MetricFamily> families{
        {"wildcert_certificate_expiry_timestamp_seconds",
         "When it expires.",
         "gauge",
         {{{{"name", "web"}, {"profile", "C:\\odd \"path\"\nx"}}, 1804192364.0}}},
        {"wildcert_metrics_generated_timestamp_seconds", "When.", "gauge", {{{}, 0.5}}},
        {"wildcert_empty", "No samples.", "gauge", {}},
    };
    CHECK(wildcert::cli::metrics_text(families) ==
          "# HELP wildcert_certificate_expiry_timestamp_seconds When it expires.\n"
          "# TYPE wildcert_certificate_expiry_timestamp_seconds gauge\n"
          "wildcert_certificate_expiry_timestamp_seconds{name=\"web\",profile=\"C:\\\\odd "
          "\\\"path\\\"\\nx\"} 1804192364\n"
          "# HELP wildcert_metrics_generated_timestamp_seconds When.\n"
          "# TYPE wildcert_metrics_generated_timestamp_seconds gauge\n"
          "wildcert_metrics_generated_timestamp_seconds 0.5\n"
          "# HELP wildcert_empty No samples.\n"
          "# TYPE wildcert_empty gauge\n");
}
