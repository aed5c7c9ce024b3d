#pragma once
// Profile loading with the environment passed in, so that tests need not change the process
// environment. wildcert::load_profile is this with the process environment.

#include "config/env_overlay.hpp"
#include "config/interpolate.hpp"

#include <wildcert/profile.hpp>

#include <filesystem>

namespace wildcert::config {

// `env` serves ${VAR} in the file and the values of the WILDCERT_* variables among `names`,
// which override the file (env_overlay.hpp).
[[nodiscard]] Result<Profile> load_profile_with_environment(const std::filesystem::path& path,
                                                            const EnvLookup& env,
                                                            const EnvNames& names);

// load_profile_certificates (profile.hpp) with the environment passed in.
[[nodiscard]] Result<ProfileCertificates>
load_certificates_with_environment(const std::filesystem::path& path, const EnvLookup& env,
                                   const EnvNames& names);

// The same with ${VAR} interpolation only: no WILDCERT_* variable is applied.
[[nodiscard]] Result<Profile> load_profile_with_env(const std::filesystem::path& path,
                                                    const EnvLookup& env);

} // namespace wildcert::config
