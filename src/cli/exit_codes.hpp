#pragma once
// Exit codes (ARCHITECTURE.md §6), also listed in --help and the README.

#include <wildcert/result.hpp>

namespace wildcert::cli {

inline constexpr int k_exit_ok = 0;     // everything asked for is in place
inline constexpr int k_exit_failed = 1; // an ACME, DNS or provider step failed
inline constexpr int k_exit_usage = 2;  // usage or profile error
inline constexpr int k_exit_locked = 3; // another run held a certificate's lock (skipped)

[[nodiscard]] inline int exit_code_for(const Error& error) {
    return error.kind == ErrorKind::usage || error.kind == ErrorKind::profile ? k_exit_usage
                                                                              : k_exit_failed;
}

} // namespace wildcert::cli
