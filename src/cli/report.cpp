#include "cli/report.hpp"

#include "cli/exit_codes.hpp"

#include <algorithm>
#include <iostream>

namespace wildcert::cli {

// The cause comes last, on one line, so that `tail -n 1` in a pipeline gets it; any detail
// lines of the message (e.g. the per-server propagation report) are printed before it.
int report_failure(const Error& error) {
    const auto& message = error.message;
    const auto first_break = message.find('\n');
    if (first_break != std::string::npos) {
        std::size_t start = first_break + 1;
        while (start < message.size()) {
            const auto end = std::min(message.find('\n', start), message.size());
            std::cerr << "wildcert:   " << message.substr(start, end - start) << '\n';
            start = end + 1;
        }
    }
    std::cerr << "wildcert: error: " << message.substr(0, first_break) << '\n';
    return exit_code_for(error);
}

void report_warnings(const Profile& profile) {
    for (const auto& warning : profile.warnings)
        std::cerr << "wildcert: warning: " << warning << '\n';
}

LogSink stderr_log(int verbosity) {
    return [verbosity](LogLevel level, std::string_view line) {
        // -q (verbosity -1): no progress at all; warnings and errors are printed elsewhere.
        if ((level == LogLevel::debug && verbosity < 1) || verbosity < 0)
            return;
        std::cerr << "wildcert: " << line << '\n';
    };
}

} // namespace wildcert::cli
