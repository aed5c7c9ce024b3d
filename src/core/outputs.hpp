#pragma once
// [[certificate.output]]: extra copies of a certificate for the machines that use it
// (docs/dev/architecture.md §5): a PEM bundle (key + full chain), PKCS#12, DER.

#include "store/state_dir.hpp"

#include <wildcert/profile.hpp>
#include <wildcert/result.hpp>

#include <filesystem>
#include <vector>

namespace wildcert::core {

// Writes every output of `certificate` from `files` (the set just installed under live/),
// in order, each atomically with its configured mode; a missing parent folder is an error,
// not created. Stops at the first failure (ErrorKind::io, or ErrorKind::crypto when `files`
// do not parse, naming the output's path and the profile line); outputs written before it
// stay written. Returns the paths written. Never logs or returns the PKCS#12 password.
// Idempotent in effect: rewriting gives the same files (PKCS#12 with fresh salts and IVs).
[[nodiscard]] Result<std::vector<std::filesystem::path>>
write_outputs(const CertificateSettings& certificate, const store::CertificateFiles& files);

} // namespace wildcert::core
