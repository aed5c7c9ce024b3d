#include "crypto/rsa_primes.hpp"

#include <botan/bigint.h>
#include <botan/numthry.h>

#include <exception>
#include <string>

namespace wildcert::crypto {
namespace {

// Bases to try; each succeeds with probability at least 1/2 (Boneh, "Twenty years of attacks
// on the RSA cryptosystem", §2 fact 1), so running out means the key is inconsistent.
constexpr std::uint32_t k_max_base = 200;

Botan::BigInt to_bigint(std::span<const std::uint8_t> bytes) {
    return Botan::BigInt(bytes.data(), bytes.size());
}

std::vector<std::uint8_t> to_bytes(const Botan::BigInt& value) {
    const auto encoded = Botan::BigInt::encode(value);
    return {encoded.begin(), encoded.end()};
}

Error primes_error(const std::string& what) {
    return make_error(ErrorKind::crypto, "RSA key: " + what);
}

} // namespace

Result<RsaPrimes> recover_rsa_primes(std::span<const std::uint8_t> n_bytes,
                                     std::span<const std::uint8_t> e_bytes,
                                     std::span<const std::uint8_t> d_bytes) {
    try {
        const Botan::BigInt n = to_bigint(n_bytes);
        const Botan::BigInt e = to_bigint(e_bytes);
        const Botan::BigInt d = to_bigint(d_bytes);
        if (n < 15 || e < 3 || d < 1 || d >= n || n.is_even())
            return primes_error("n, e or d out of range");

        // d*e - 1 is a multiple of lambda(n): write it as 2^t * r with r odd, then some
        // g^(r*2^i) is a non-trivial square root of 1 mod n, which splits n.
        const Botan::BigInt k = d * e - 1;
        if (k.is_odd())
            return primes_error("n, e and d are inconsistent");
        const std::size_t t = Botan::low_zero_bits(k);
        const Botan::BigInt r = k >> t;
        const Botan::BigInt n_minus_1 = n - 1;

        for (std::uint32_t g = 2; g < k_max_base; ++g) {
            Botan::BigInt y = Botan::power_mod(Botan::BigInt(g), r, n);
            if (y == 1 || y == n_minus_1)
                continue;
            for (std::size_t i = 0; i < t; ++i) {
                const Botan::BigInt x = (y * y) % n;
                if (x == 1) {
                    const Botan::BigInt p = Botan::gcd(y - 1, n);
                    const Botan::BigInt q = n / p;
                    if (p <= 1 || p * q != n)
                        break;
                    return RsaPrimes{to_bytes(p), to_bytes(q)};
                }
                if (x == n_minus_1)
                    break;
                y = x;
            }
        }
        return primes_error("cannot factor n from e and d (inconsistent key)");
    } catch (const std::exception& e) {
        return primes_error(e.what());
    }
}

} // namespace wildcert::crypto
