#include "crypto/digest.hpp"

#include <botan/hash.h>
#include <botan/mac.h>

namespace wildcert::crypto {
namespace {

const char* mac_name(HmacHash hash) {
    switch (hash) {
    case HmacHash::sha256:
        return "HMAC(SHA-256)";
    case HmacHash::sha384:
        return "HMAC(SHA-384)";
    case HmacHash::sha512:
        return "HMAC(SHA-512)";
    }
    return "HMAC(SHA-256)";
}

} // namespace

// SHA-256 and HMAC only throw when the algorithm is missing from the Botan build, which is a
// broken installation rather than bad input, so these functions do not return Result.
std::vector<std::uint8_t> sha256(std::string_view data) {
    const auto hash = Botan::HashFunction::create_or_throw("SHA-256");
    hash->update(reinterpret_cast<const std::uint8_t*>(data.data()), data.size());
    const auto digest = hash->final();
    return {digest.begin(), digest.end()};
}

std::vector<std::uint8_t> hmac(HmacHash hash, std::span<const std::uint8_t> key,
                               std::string_view data) {
    const auto mac = Botan::MessageAuthenticationCode::create_or_throw(mac_name(hash));
    // HMAC accepts keys of any length (RFC 2104 §3), including empty ones.
    mac->set_key(key.data(), key.size());
    mac->update(reinterpret_cast<const std::uint8_t*>(data.data()), data.size());
    const auto tag = mac->final();
    return {tag.begin(), tag.end()};
}

std::string hex_lower(std::span<const std::uint8_t> bytes) {
    constexpr std::string_view k_digits = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (const std::uint8_t byte : bytes) {
        out += k_digits[byte >> 4];
        out += k_digits[byte & 0x0f];
    }
    return out;
}

} // namespace wildcert::crypto
