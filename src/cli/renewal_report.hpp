#pragma once
// How issue, renew and list show a certificate: one human line, or one JSON object.

#include <wildcert/renewal.hpp>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

namespace wildcert::json {
class Writer;
}

namespace wildcert::cli {

// "2026-11-29T10:00:00Z"
[[nodiscard]] std::string iso_utc(std::chrono::system_clock::time_point when);

// The JSON object of one certificate (documented in the README, "JSON output").
void write_certificate_json(json::Writer& out, const std::filesystem::path& profile,
                            const CertificateReport& report,
                            std::chrono::system_clock::time_point now);
// Its members alone, for `list`, which adds its own; "profile" is null when not known.
void write_certificate_members(json::Writer& out,
                               const std::optional<std::filesystem::path>& profile,
                               const CertificateReport& report,
                               std::chrono::system_clock::time_point now);

// One line for a person, e.g. "web: renewed serial 0a1b expires ... in /var/lib/...".
// `verb` replaces the status word for issued/renewed certificates ("issued" for `issue`).
// A dry run's line names no path: its certificate is a test one, already deleted.
[[nodiscard]] std::string human_line(const CertificateReport& report, const std::string& verb,
                                     bool dry_run = false);

} // namespace wildcert::cli
