#include "crypto/base64.hpp"

#include <array>
#include <cstddef>

namespace wildcert::crypto {
namespace {

// RFC 4648 §4 (standard) and §5 (URL and filename safe) alphabets.
constexpr std::string_view k_standard_alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view k_url_alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

constexpr std::uint8_t k_invalid = 0xff;

// One table for both alphabets: the decoder is lenient about which one it is given.
constexpr std::array<std::uint8_t, 256> make_decode_table() {
    std::array<std::uint8_t, 256> table{};
    for (auto& entry : table)
        entry = k_invalid;
    for (std::size_t i = 0; i < 64; ++i) {
        table[static_cast<unsigned char>(k_standard_alphabet[i])] = static_cast<std::uint8_t>(i);
        table[static_cast<unsigned char>(k_url_alphabet[i])] = static_cast<std::uint8_t>(i);
    }
    return table;
}

constexpr std::array<std::uint8_t, 256> k_decode_table = make_decode_table();

std::string encode_with(std::string_view alphabet, std::span<const std::uint8_t> bytes, bool pad) {
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 3 <= bytes.size(); i += 3) {
        const std::uint32_t group =
            (std::uint32_t{bytes[i]} << 16) | (std::uint32_t{bytes[i + 1]} << 8) | bytes[i + 2];
        out += alphabet[(group >> 18) & 0x3f];
        out += alphabet[(group >> 12) & 0x3f];
        out += alphabet[(group >> 6) & 0x3f];
        out += alphabet[group & 0x3f];
    }
    const std::size_t rest = bytes.size() - i;
    if (rest == 1) {
        const std::uint32_t group = std::uint32_t{bytes[i]} << 16;
        out += alphabet[(group >> 18) & 0x3f];
        out += alphabet[(group >> 12) & 0x3f];
        if (pad)
            out += "==";
    } else if (rest == 2) {
        const std::uint32_t group =
            (std::uint32_t{bytes[i]} << 16) | (std::uint32_t{bytes[i + 1]} << 8);
        out += alphabet[(group >> 18) & 0x3f];
        out += alphabet[(group >> 12) & 0x3f];
        out += alphabet[(group >> 6) & 0x3f];
        if (pad)
            out += '=';
    }
    return out;
}

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && is_space(text.front()))
        text.remove_prefix(1);
    while (!text.empty() && is_space(text.back()))
        text.remove_suffix(1);
    return text;
}

Error decode_error(std::string_view what) {
    // The input may be a secret (an EAB HMAC key): describe it, never echo it.
    return make_error(ErrorKind::crypto, "base64 decode: " + std::string(what));
}

} // namespace

std::string base64url_encode(std::span<const std::uint8_t> bytes) {
    return encode_with(k_url_alphabet, bytes, false);
}

std::string base64url_encode(std::string_view bytes) {
    return base64url_encode(std::span<const std::uint8_t>(
        reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
}

std::string base64_encode(std::span<const std::uint8_t> bytes) {
    return encode_with(k_standard_alphabet, bytes, true);
}

Result<std::vector<std::uint8_t>> base64url_decode(std::string_view text) {
    text = trim(text);

    // Padding, when present, must complete the last group of four (RFC 4648 §3.2).
    std::size_t padding = 0;
    while (!text.empty() && text.back() == '=') {
        text.remove_suffix(1);
        ++padding;
    }
    if (padding > 2)
        return decode_error("too much '=' padding");
    if (padding > 0 && (text.size() + padding) % 4 != 0)
        return decode_error("'=' padding does not match the length");
    // A lone sextet cannot encode a whole byte.
    if (text.size() % 4 == 1)
        return decode_error("impossible length");

    std::vector<std::uint8_t> out;
    out.reserve(text.size() * 3 / 4);
    std::uint32_t accumulator = 0;
    int bits = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const std::uint8_t value = k_decode_table[static_cast<unsigned char>(text[i])];
        if (value == k_invalid)
            return decode_error("invalid character at offset " + std::to_string(i));
        accumulator = (accumulator << 6) | value;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<std::uint8_t>((accumulator >> bits) & 0xff));
        }
    }
    return out;
}

} // namespace wildcert::crypto
