#pragma once

#include <wildcert/result.hpp>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace wildcert::crypto {

[[nodiscard]] std::vector<std::uint8_t> sha256(std::string_view data);

enum class HmacHash { sha256, sha384, sha512 };
[[nodiscard]] std::vector<std::uint8_t> hmac(HmacHash hash, std::span<const std::uint8_t> key,
                                             std::string_view data);

// Lower-case hex (SigV4 and Pebble's serial paths want lower case).
[[nodiscard]] std::string hex_lower(std::span<const std::uint8_t> bytes);

} // namespace wildcert::crypto
