#pragma once
// What every command prints on stderr: progress lines and the failure contract.

#include <wildcert/client.hpp>
#include <wildcert/profile.hpp>
#include <wildcert/result.hpp>

namespace wildcert::cli {

// Prints the error (detail lines first, the cause last as "wildcert: error: ...") and returns
// its exit code.
[[nodiscard]] int report_failure(const Error& error);

// The profile's warnings on stderr, one "wildcert: warning: ..." line each.
void report_warnings(const Profile& profile);

// Progress lines on stderr; debug lines only from -v on.
[[nodiscard]] LogSink stderr_log(int verbosity);

} // namespace wildcert::cli
