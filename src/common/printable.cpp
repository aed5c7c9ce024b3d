#include "common/printable.hpp"

#include <cstdint>

namespace wildcert::common {
namespace {

constexpr char k_hex[] = "0123456789abcdef";

void append_byte_escape(std::string& out, unsigned char byte) {
    out += "\\x";
    out += k_hex[byte >> 4];
    out += k_hex[byte & 0xf];
}

void append_code_point_escape(std::string& out, std::uint32_t code_point) {
    out += "\\u";
    for (int shift = 12; shift >= 0; shift -= 4)
        out += k_hex[(code_point >> shift) & 0xf];
}

// The length of the well-formed UTF-8 sequence at text[i] (RFC 3629 §4), and its code point;
// 0 when the bytes there are not one (then only the first byte is escaped).
std::size_t utf8_sequence(std::string_view text, std::size_t i, std::uint32_t& code_point) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    std::uint32_t min = 0;
    if (lead >= 0xc2 && lead <= 0xdf) {
        length = 2;
        code_point = lead & 0x1fu;
        min = 0x80;
    } else if (lead >= 0xe0 && lead <= 0xef) {
        length = 3;
        code_point = lead & 0x0fu;
        min = 0x800;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
        length = 4;
        code_point = lead & 0x07u;
        min = 0x10000;
    } else {
        return 0;
    }
    if (i + length > text.size())
        return 0;
    for (std::size_t k = 1; k < length; ++k) {
        const auto next = static_cast<unsigned char>(text[i + k]);
        if ((next & 0xc0u) != 0x80u)
            return 0;
        code_point = (code_point << 6) | (next & 0x3fu);
    }
    const bool surrogate = code_point >= 0xd800 && code_point <= 0xdfff;
    if (code_point < min || code_point > 0x10ffff || surrogate)
        return 0;
    return length;
}

// C1 controls, and the characters that make a terminal reorder text (Unicode UAX #9: LRE,
// RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI) or break lines (LINE and PARAGRAPH SEPARATOR).
bool must_escape(std::uint32_t code_point) {
    return (code_point >= 0x80 && code_point <= 0x9f) ||
           (code_point >= 0x2028 && code_point <= 0x202e) ||
           (code_point >= 0x2066 && code_point <= 0x2069);
}

} // namespace

std::string printable(std::string_view text, std::size_t max_bytes) {
    std::string out;
    std::size_t i = 0;
    while (i < text.size() && out.size() < max_bytes) {
        const auto byte = static_cast<unsigned char>(text[i]);
        if (byte < 0x20 || byte == 0x7f) {
            append_byte_escape(out, byte);
            ++i;
            continue;
        }
        if (byte < 0x80) {
            out += static_cast<char>(byte);
            ++i;
            continue;
        }
        std::uint32_t code_point = 0;
        const std::size_t length = utf8_sequence(text, i, code_point);
        if (length == 0) {
            append_byte_escape(out, byte);
            ++i;
        } else if (must_escape(code_point)) {
            append_code_point_escape(out, code_point);
            i += length;
        } else {
            out.append(text.substr(i, length));
            i += length;
        }
    }
    if (i < text.size())
        out += "... (" + std::to_string(text.size() - i) + " more bytes)";
    return out;
}

} // namespace wildcert::common
