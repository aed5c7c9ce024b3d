#include "cli/report.hpp"

#include "cli/exit_codes.hpp"
#include "cli/status_line.hpp"

#include <algorithm>
#include <iostream>
#include <memory>

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
    StatusLine::Settings settings;
    settings.terminal = stderr_is_terminal(settings.width);
    auto output = std::make_shared<StatusLine>(std::cerr, std::move(settings));
    return [verbosity, output](LogLevel level, std::string_view line) {
        // -q (verbosity -1): no progress at all; warnings and errors are printed elsewhere.
        if ((level == LogLevel::debug && verbosity < 1) || verbosity < 0)
            return;
        if (level == LogLevel::status)
            output->status(line);
        else
            output->line(line);
    };
}

} // namespace wildcert::cli
