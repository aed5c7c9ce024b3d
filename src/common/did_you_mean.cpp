#include "common/did_you_mean.hpp"

#include <algorithm>

namespace wildcert::common {

std::size_t edit_distance(std::string_view a, std::string_view b) {
    // Optimal string alignment: three rows of the dynamic-programming table are enough.
    std::vector<std::size_t> before(b.size() + 1), previous(b.size() + 1), current(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
        previous[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        current[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                current[j] = std::min(current[j], before[j - 2] + 1);
        }
        before.swap(previous);
        previous.swap(current);
    }
    return previous[b.size()];
}

std::string closest_match(std::string_view word, const std::vector<std::string>& candidates) {
    const std::size_t allowed = word.size() <= 5 ? 1 : word.size() <= 8 ? 2 : 3;
    std::string best;
    std::size_t best_distance = allowed + 1;
    for (const auto& candidate : candidates) {
        const std::size_t distance = edit_distance(word, candidate);
        if (distance < best_distance) {
            best = candidate;
            best_distance = distance;
        }
    }
    if (!best.empty() || word.size() < 3)
        return best;
    std::string prefixed;
    for (const auto& candidate : candidates) {
        if (!candidate.starts_with(word))
            continue;
        if (!prefixed.empty())
            return ""; // ambiguous
        prefixed = candidate;
    }
    return prefixed;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates,
                         std::string_view shown_prefix, char quote) {
    const std::string match = closest_match(word, candidates);
    if (match.empty())
        return "";
    return "; did you mean " + std::string(1, quote) + std::string(shown_prefix) + match + quote +
           "?";
}

} // namespace wildcert::common
