#pragma once
// Exit codes (docs/dev/architecture.md §6), also listed in --help, wildcert(1) and the README: the
// help text and the man page are generated from k_exit_codes.

#include <wildcert/result.hpp>

#include <array>
#include <string_view>

namespace wildcert::cli {

inline constexpr int k_exit_ok = 0;     // everything asked for is in place
inline constexpr int k_exit_failed = 1; // an ACME, DNS or provider step failed
inline constexpr int k_exit_usage = 2;  // usage or profile error
inline constexpr int k_exit_locked = 3; // another run held a certificate's lock (skipped)
// A run stopped by a signal, after its cleanup: 128 + the signal's number, as a shell reports
// a process the signal killed, so scripts tell "interrupted" from "failed".
inline constexpr int k_exit_interrupted = 130; // SIGINT
inline constexpr int k_exit_terminated = 143;  // SIGTERM

struct ExitCodeDoc {
    int code;
    std::string_view meaning;
};

inline constexpr std::array k_exit_codes{
    ExitCodeDoc{k_exit_ok, "everything asked for is in place"},
    ExitCodeDoc{k_exit_failed,
                "an ACME, DNS or provider step failed (the records it added are removed)"},
    ExitCodeDoc{k_exit_usage, "usage or profile error (nothing was sent anywhere)"},
    ExitCodeDoc{k_exit_locked,
                "lock held: another run was working on a certificate, which was skipped "
                "(nothing failed; delete: not deleted); with --wait-lock, only when the wait "
                "timed out"},
    ExitCodeDoc{k_exit_interrupted,
                "interrupted by SIGINT: the run stopped at the next safe point and removed "
                "its records first"},
    ExitCodeDoc{k_exit_terminated, "stopped by SIGTERM, after the same cleanup"},
};

// How the codes combine when several apply.
inline constexpr std::string_view k_exit_precedence =
    "Precedence when several apply: 130 or 143, then 2, then 1, then 3.";

[[nodiscard]] inline int exit_code_for(const Error& error) {
    if (error.kind == ErrorKind::usage || error.kind == ErrorKind::profile)
        return k_exit_usage;
    return error.kind == ErrorKind::locked ? k_exit_locked : k_exit_failed;
}

} // namespace wildcert::cli
