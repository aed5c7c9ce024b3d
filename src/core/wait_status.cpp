#include "core/wait_status.hpp"

namespace wildcert::core {
namespace {

// A status line names the first few items and counts the rest: a terminal line is short.
constexpr std::size_t k_named_items = 2;

std::string first_items(const std::vector<std::string>& items) {
    std::string text;
    for (std::size_t i = 0; i < items.size() && i < k_named_items; ++i)
        text += (i == 0 ? "" : ", ") + items[i];
    if (items.size() > k_named_items)
        text += ", " + std::to_string(items.size() - k_named_items) + " more";
    return text;
}

} // namespace

std::string seconds_left(std::chrono::milliseconds left) {
    const auto ms = std::max<std::chrono::milliseconds::rep>(left.count(), 0);
    return std::to_string((ms + 999) / 1000) + "s left";
}

std::string propagation_status(const dns::PropagationProgress& progress) {
    // Counts and time first: a narrow terminal cuts the end of the line.
    std::vector<std::string> missing;
    for (const auto& check : progress.pending)
        missing.push_back(check.fqdn + " at " + check.server);
    std::string line = "dns: " + std::to_string(progress.served) + " of " +
                       std::to_string(progress.total) + " checks pass, " +
                       seconds_left(progress.left);
    if (!missing.empty())
        line += "; missing: " + first_items(missing);
    return line;
}

std::vector<std::string> propagation_detail(const dns::PropagationProgress& progress) {
    std::vector<std::string> lines;
    for (const auto& check : progress.pending)
        lines.push_back("dns: " + check.fqdn + " at " + check.server + ": " + check.problem);
    return lines;
}

std::string validation_status(std::size_t valid, std::size_t total,
                              const std::vector<std::string>& pending,
                              std::chrono::milliseconds left) {
    std::string line = "ca: " + std::to_string(valid) + " of " + std::to_string(total) +
                       " authorizations valid, " + seconds_left(left);
    if (!pending.empty())
        line += "; pending: " + first_items(pending);
    return line;
}

} // namespace wildcert::core
