#pragma once
// The state directory as `list`, `delete` and the Client open and read it.

#include "store/state_dir.hpp"

#include <wildcert/client.hpp>
#include <wildcert/profile.hpp>
#include <wildcert/renewal.hpp>
#include <wildcert/result.hpp>

#include <chrono>
#include <filesystem>
#include <vector>

namespace wildcert::core {

// StateDir::open, then its repairs and the sweep of a killed run's temporaries reported to
// `log` (which may be empty); a sweep that fails stops nothing (the files are only clutter).
[[nodiscard]] Result<store::StateDir> open_state_dir(const std::filesystem::path& path,
                                                     const LogSink& log);

// Client::inspect and CertificateStore::inspect: renew's decision from the state directory.
[[nodiscard]] std::vector<CertificateReport>
inspect_certificates(const store::StateDir& state_dir,
                     const std::vector<CertificateSettings>& certificates,
                     std::chrono::system_clock::time_point now);

} // namespace wildcert::core
