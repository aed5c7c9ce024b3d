#pragma once
// Stable, file-name-safe ids for things the store keeps per URL or per key. The hash only
// separates names; it protects nothing, so a non-cryptographic hash is enough.

#include <cstdint>
#include <string>
#include <string_view>

namespace wildcert::store {

// FNV-1a, 64 bits (offset basis 0xcbf29ce484222325, prime 0x100000001b3).
[[nodiscard]] std::uint64_t fnv1a_64(std::string_view text);

// fnv1a_64 as 16 lower-case hex digits.
[[nodiscard]] std::string fnv1a_64_hex(std::string_view text);

// "<host>-<fnv hex of the URL>" for an ACME directory URL, e.g.
// "acme-v02.api.letsencrypt.org-1a2b...". The host part is only for people reading the
// folder; characters other than [A-Za-z0-9.-] become '_', and it is "ca" when absent.
[[nodiscard]] std::string directory_id(std::string_view directory_url);

// The account folder name for (directory URL, EAB key id): directory_id(url) when there is no
// key id (so state folders written before EAB existed keep working), else
// "<directory_id(url)>-eab-<fnv hex of the key id>": one folder per customer binding.
[[nodiscard]] std::string account_id(std::string_view directory_url, std::string_view eab_key_id);

} // namespace wildcert::store
