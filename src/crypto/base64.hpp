#pragma once
// Base64 and base64url (RFC 4648 §4, §5). Botan only has the standard alphabet.

#include <wildcert/result.hpp>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace wildcert::crypto {

// base64url without padding, as JOSE and ACME use it (RFC 7515 §2).
[[nodiscard]] std::string base64url_encode(std::span<const std::uint8_t> bytes);
[[nodiscard]] std::string base64url_encode(std::string_view bytes);

// Lenient on purpose: CAs hand out EAB keys padded, unpadded and in the standard alphabet.
// Accepts base64url or standard base64, with or without '=' padding; surrounding whitespace
// is ignored. Anything else is an ErrorKind::crypto error that does not echo the input.
[[nodiscard]] Result<std::vector<std::uint8_t>> base64url_decode(std::string_view text);

// Standard alphabet with padding (TSIG secrets, PEM bodies).
[[nodiscard]] std::string base64_encode(std::span<const std::uint8_t> bytes);

} // namespace wildcert::crypto
