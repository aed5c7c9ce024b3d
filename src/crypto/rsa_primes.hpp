#pragma once
// Recovers the RSA primes from (n, e, d), for keys published without them (test vectors).

#include <wildcert/result.hpp>

#include <cstdint>
#include <span>
#include <vector>

namespace wildcert::crypto {

struct RsaPrimes {
    std::vector<std::uint8_t> p; // big-endian
    std::vector<std::uint8_t> q; // big-endian
};

// Fails when (n, e, d) is not a consistent RSA key. Deterministic.
[[nodiscard]] Result<RsaPrimes> recover_rsa_primes(std::span<const std::uint8_t> n,
                                                   std::span<const std::uint8_t> e,
                                                   std::span<const std::uint8_t> d);

} // namespace wildcert::crypto
