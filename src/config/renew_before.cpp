#include "config/duration.hpp"
#include "config/sections.hpp"

#include <charconv>

namespace wildcert::config {
namespace {

constexpr std::string_view k_key = "renew_before";
constexpr std::string_view k_expected =
    "expected a fraction of the lifetime (\"1/3\", \"0.25\") or a duration (\"30d\", \"720h\")";

std::optional<double> parse_number(std::string_view text) {
    double value = 0;
    const auto* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc() || ptr != end || text.empty())
        return std::nullopt;
    return value;
}

// "1/3" or "0.25": strictly between 0 and 1 (1 would renew every run, 0 never).
std::optional<double> parse_fraction(std::string_view text) {
    if (const auto slash = text.find('/'); slash != std::string_view::npos) {
        const auto numerator = parse_number(text.substr(0, slash));
        const auto denominator = parse_number(text.substr(slash + 1));
        if (!numerator || !denominator || *denominator == 0)
            return std::nullopt;
        return *numerator / *denominator;
    }
    return parse_number(text);
}

} // namespace

Result<RenewBefore> read_renew_before(TableReader& certificate) {
    RenewBefore result;
    WILDCERT_TRY(const std::optional<Text> text, certificate.optional_string(k_key));
    if (!text)
        return result;
    if (const auto duration = parse_duration(text->value)) {
        if (duration->count() <= 0)
            return certificate.error(text->position, k_key,
                                     text->shown() + " must be longer than 0");
        result.duration = std::chrono::duration_cast<std::chrono::seconds>(*duration);
        return result;
    }
    const auto fraction = parse_fraction(text->value);
    if (!fraction)
        return certificate.error(text->position, k_key,
                                 text->shown() + ": " + std::string(k_expected));
    if (!(*fraction > 0.0 && *fraction < 1.0))
        return certificate.error(text->position, k_key,
                                 text->shown() + ": a fraction must lie between 0 and 1");
    result.fraction = *fraction;
    return result;
}

} // namespace wildcert::config
