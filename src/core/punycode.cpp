#include "core/punycode.hpp"

#include <cstdint>
#include <limits>
#include <vector>

namespace wildcert::core {
namespace {

// RFC 3492 §5: the parameters of Punycode.
constexpr std::uint32_t k_base = 36;
constexpr std::uint32_t k_tmin = 1;
constexpr std::uint32_t k_tmax = 26;
constexpr std::uint32_t k_skew = 38;
constexpr std::uint32_t k_damp = 700;
constexpr std::uint32_t k_initial_bias = 72;
constexpr std::uint32_t k_initial_n = 128;

// RFC 3629: one code point per well-formed sequence; overlong forms, surrogates and values
// above U+10FFFF are malformed.
std::optional<std::vector<std::uint32_t>> code_points(std::string_view text) {
    std::vector<std::uint32_t> points;
    for (std::size_t i = 0; i < text.size();) {
        const auto lead = static_cast<unsigned char>(text[i]);
        std::size_t length = 0;
        std::uint32_t point = 0;
        std::uint32_t smallest = 0;
        if (lead < 0x80) {
            length = 1;
            point = lead;
        } else if ((lead & 0xE0) == 0xC0) {
            length = 2;
            point = lead & 0x1Fu;
            smallest = 0x80;
        } else if ((lead & 0xF0) == 0xE0) {
            length = 3;
            point = lead & 0x0Fu;
            smallest = 0x800;
        } else if ((lead & 0xF8) == 0xF0) {
            length = 4;
            point = lead & 0x07u;
            smallest = 0x10000;
        } else {
            return std::nullopt;
        }
        if (i + length > text.size())
            return std::nullopt;
        for (std::size_t k = 1; k < length; ++k) {
            const auto next = static_cast<unsigned char>(text[i + k]);
            if ((next & 0xC0) != 0x80)
                return std::nullopt;
            point = (point << 6) | (next & 0x3Fu);
        }
        if (point < smallest || point > 0x10FFFF || (point >= 0xD800 && point <= 0xDFFF))
            return std::nullopt;
        points.push_back(point);
        i += length;
    }
    return points;
}

char digit(std::uint32_t value) {
    return static_cast<char>(value < 26 ? 'a' + value : '0' + (value - 26));
}

// RFC 3492 §6.1.
std::uint32_t adapt(std::uint32_t delta, std::uint32_t points, bool first) {
    delta = first ? delta / k_damp : delta / 2;
    delta += delta / points;
    std::uint32_t k = 0;
    while (delta > ((k_base - k_tmin) * k_tmax) / 2) {
        delta /= k_base - k_tmin;
        k += k_base;
    }
    return k + (((k_base - k_tmin + 1) * delta) / (delta + k_skew));
}

// RFC 3492 §6.3, for input that has at least one non-basic code point.
std::optional<std::string> encode(const std::vector<std::uint32_t>& input) {
    std::string output;
    for (const auto point : input) {
        if (point < 0x80)
            output.push_back(static_cast<char>(point));
    }
    const auto basic = static_cast<std::uint32_t>(output.size());
    if (basic > 0)
        output.push_back('-');
    std::uint32_t n = k_initial_n;
    std::uint32_t delta = 0;
    std::uint32_t bias = k_initial_bias;
    constexpr auto k_max = std::numeric_limits<std::uint32_t>::max();
    for (std::uint32_t handled = basic; handled < input.size();) {
        std::uint32_t next = k_max;
        for (const auto point : input) {
            if (point >= n && point < next)
                next = point;
        }
        if (next - n > (k_max - delta) / (handled + 1))
            return std::nullopt; // overflow: not a label anyone could use
        delta += (next - n) * (handled + 1);
        n = next;
        for (const auto point : input) {
            if (point < n && ++delta == 0)
                return std::nullopt;
            if (point != n)
                continue;
            std::uint32_t q = delta;
            for (std::uint32_t k = k_base;; k += k_base) {
                const std::uint32_t t = k <= bias ? k_tmin : k >= bias + k_tmax ? k_tmax : k - bias;
                if (q < t)
                    break;
                output.push_back(digit(t + (q - t) % (k_base - t)));
                q = (q - t) / (k_base - t);
            }
            output.push_back(digit(q));
            bias = adapt(delta, handled + 1, handled == basic);
            delta = 0;
            ++handled;
        }
        ++delta;
        ++n;
    }
    return output;
}

} // namespace

std::optional<std::string> ascii_label(std::string_view utf8_label) {
    const auto points = code_points(utf8_label);
    if (!points)
        return std::nullopt;
    bool ascii = true;
    for (const auto point : *points)
        ascii = ascii && point < 0x80;
    if (ascii)
        return std::string(utf8_label);
    auto encoded = encode(*points);
    if (!encoded)
        return std::nullopt;
    return "xn--" + *encoded;
}

} // namespace wildcert::core
