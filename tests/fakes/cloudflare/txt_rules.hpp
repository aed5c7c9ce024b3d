#pragma once
// Cloudflare's validation rules for TXT records (research notes §1.8, §1.9), kept apart from
// the HTTP plumbing so each rule reads on its own.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace wildcert::fakes::cloudflare {

// "Each TXT record's content is <= 2,048 characters, and the sum over all TXT records with the
// same name is <= 8,192" (Cloudflare docs, DNS record types, TXT).
inline constexpr std::size_t k_max_txt_content = 2048;
inline constexpr std::size_t k_max_txt_content_per_name = 8192;

// Why `content` is not acceptable TXT content, or nothing. Unquoted content is stored
// verbatim (the API does not add quotes, unlike the dashboard); content with quotes must be
// a sequence of complete RFC 1035 quoted character-strings ("this or "these" ones" fail).
[[nodiscard]] std::optional<std::string> txt_content_problem(std::string_view content);

// The TXT data a resolver sees for `content`: the character-strings without their quotes
// and escapes, joined; unquoted content as is.
[[nodiscard]] std::string txt_dns_value(std::string_view content);

// TTL: 1 means automatic, otherwise 60..86400 (cloudflare-go `TTL`; the 30 s minimum is
// Enterprise-only and not modelled).
[[nodiscard]] bool valid_ttl(std::int64_t ttl);
// What "automatic" means for a DNS-only record: 300 s (Cloudflare docs, TTL).
inline constexpr std::int64_t k_automatic_ttl_seconds = 300;

// The full record name for `name` in `zone`: lower case without the trailing dot; "@" is the
// apex and a name outside the zone is taken as relative to it, as the API does.
[[nodiscard]] std::string full_record_name(std::string_view name, std::string_view zone);

[[nodiscard]] std::string lower(std::string_view text);

} // namespace wildcert::fakes::cloudflare
