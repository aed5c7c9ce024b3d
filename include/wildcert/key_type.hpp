#pragma once

#include <optional>
#include <string_view>

namespace wildcert {

// Key algorithms for ACME account keys and certificate keys.
enum class KeyType { ec_p256, ec_p384, rsa_2048, rsa_3072, rsa_4096 };

// Parses the profile spelling: "ec-p256", "ec-p384", "rsa-2048", "rsa-3072", "rsa-4096".
[[nodiscard]] std::optional<KeyType> parse_key_type(std::string_view text);
[[nodiscard]] const char* to_string(KeyType type);

} // namespace wildcert
