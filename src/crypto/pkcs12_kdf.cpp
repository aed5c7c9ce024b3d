#include "crypto/pkcs12_kdf.hpp"

#include <botan/hash.h>

#include <cstdlib>
#include <utility>

namespace wildcert::crypto {
namespace {

constexpr std::size_t k_hash_bytes = 32;  // u: SHA-256 output
constexpr std::size_t k_block_bytes = 64; // v: SHA-256 input block

constexpr char32_t k_invalid = 0xFFFFFFFF;

// Decodes the UTF-8 sequence at `at` and moves past it; k_invalid on truncated, overlong or
// surrogate input (RFC 3629 §3).
char32_t next_code_point(std::string_view text, std::size_t& at) {
    const auto lead = static_cast<unsigned char>(text[at]);
    std::size_t extra = 0;
    char32_t value = 0;
    char32_t minimum = 0;
    if (lead < 0x80) {
        ++at;
        return lead;
    }
    if ((lead & 0xE0) == 0xC0) {
        extra = 1;
        value = lead & 0x1F;
        minimum = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
        extra = 2;
        value = lead & 0x0F;
        minimum = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
        extra = 3;
        value = lead & 0x07;
        minimum = 0x10000;
    } else {
        return k_invalid;
    }
    if (at + extra >= text.size())
        return k_invalid;
    for (std::size_t i = 1; i <= extra; ++i) {
        const auto next = static_cast<unsigned char>(text[at + i]);
        if ((next & 0xC0) != 0x80)
            return k_invalid;
        value = (value << 6) | (next & 0x3F);
    }
    at += extra + 1;
    if (value < minimum || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF))
        return k_invalid;
    return value;
}

void append_unit(std::vector<std::uint8_t>& out, char32_t unit) {
    out.push_back(static_cast<std::uint8_t>(unit >> 8));
    out.push_back(static_cast<std::uint8_t>(unit & 0xFF));
}

// B.2 step 1-3: `data` repeated to fill a whole number of v-byte blocks ("" stays "").
std::vector<std::uint8_t> fill_blocks(std::span<const std::uint8_t> data) {
    std::vector<std::uint8_t> out;
    if (data.empty())
        return out;
    const std::size_t blocks = (data.size() + k_block_bytes - 1) / k_block_bytes;
    out.resize(blocks * k_block_bytes);
    for (std::size_t i = 0; i < out.size(); ++i)
        out[i] = data[i % data.size()];
    return out;
}

// B.2 step 6C: I_j = (I_j + B + 1) mod 2^(8v), big-endian, for every v-byte block of I.
void add_block_plus_one(std::span<std::uint8_t> block, std::span<const std::uint8_t> b) {
    unsigned carry = 1;
    for (std::size_t k = block.size(); k-- > 0;) {
        const unsigned sum = block[k] + b[k] + carry;
        block[k] = static_cast<std::uint8_t>(sum & 0xFF);
        carry = sum >> 8;
    }
}

} // namespace

Result<std::vector<std::uint8_t>> bmp_string(std::string_view utf8) {
    std::vector<std::uint8_t> out;
    out.reserve(utf8.size() * 2 + 2);
    for (std::size_t at = 0; at < utf8.size();) {
        const char32_t code_point = next_code_point(utf8, at);
        if (code_point == k_invalid)
            return make_error(ErrorKind::crypto, "not valid UTF-8");
        if (code_point < 0x10000) {
            append_unit(out, code_point);
        } else {
            const char32_t offset = code_point - 0x10000;
            append_unit(out, 0xD800 + (offset >> 10));
            append_unit(out, 0xDC00 + (offset & 0x3FF));
        }
    }
    return out;
}

Result<std::vector<std::uint8_t>> pkcs12_bmp_password(std::string_view utf8) {
    auto bmp = bmp_string(utf8);
    if (!bmp.ok())
        return bmp.error().with_context("PKCS#12 password");
    std::vector<std::uint8_t> out = std::move(bmp).value();
    out.push_back(0);
    out.push_back(0);
    return out;
}

std::vector<std::uint8_t> pkcs12_kdf_sha256(std::span<const std::uint8_t> bmp_password,
                                            std::span<const std::uint8_t> salt,
                                            Pkcs12KeyPurpose purpose, std::size_t iterations,
                                            std::size_t length) {
    if (iterations == 0)
        std::abort(); // a caller bug: RFC 7292 counts at least one hash
    const auto hash = Botan::HashFunction::create_or_throw("SHA-256");
    const std::vector<std::uint8_t> diversifier(k_block_bytes, static_cast<std::uint8_t>(purpose));
    std::vector<std::uint8_t> input = fill_blocks(salt);
    const std::vector<std::uint8_t> password_blocks = fill_blocks(bmp_password);
    input.insert(input.end(), password_blocks.begin(), password_blocks.end());

    std::vector<std::uint8_t> out;
    out.reserve(length + k_hash_bytes);
    std::vector<std::uint8_t> a(k_hash_bytes);
    std::vector<std::uint8_t> b(k_block_bytes);
    while (out.size() < length) {
        hash->update(diversifier);
        hash->update(input);
        hash->final(a.data());
        for (std::size_t round = 1; round < iterations; ++round) {
            hash->update(a);
            hash->final(a.data());
        }
        out.insert(out.end(), a.begin(), a.end());
        if (out.size() >= length)
            break;
        for (std::size_t k = 0; k < k_block_bytes; ++k)
            b[k] = a[k % k_hash_bytes];
        for (std::size_t j = 0; j < input.size(); j += k_block_bytes)
            add_block_plus_one(std::span<std::uint8_t>(input).subspan(j, k_block_bytes), b);
    }
    out.resize(length);
    return out;
}

} // namespace wildcert::crypto
