#pragma once
// The state directory as `list`, `probe` and `metrics` read it: opened and checked as every
// command does, with its certificates.

#include "cli/arguments.hpp"

#include <wildcert/certificate_store.hpp>

#include <vector>

namespace wildcert::cli {

struct OpenedStore {
    CertificateStore store;
    std::vector<StoredCertificate> certificates;
};

// --state-dir (or the default), opened with repairs logged at the run's verbosity.
[[nodiscard]] Result<OpenedStore> open_store(const Arguments& arguments);

} // namespace wildcert::cli
