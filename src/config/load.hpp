#pragma once
// Profile loading with the environment passed in, so that tests need not change the process
// environment. wildcert::load_profile is this with the process environment.

#include "config/interpolate.hpp"

#include <wildcert/profile.hpp>

#include <filesystem>

namespace wildcert::config {

[[nodiscard]] Result<Profile> load_profile_with_env(const std::filesystem::path& path,
                                                    const EnvLookup& env);

} // namespace wildcert::config
