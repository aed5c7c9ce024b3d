#pragma once
// How large each kind of ACME response may be (http/capped_body.hpp). The JSON documents of
// RFC 8555 are a few KB: an order for 100 names, the largest a CA allows, is about 20 KB. A
// problem document comes back in place of any of them and shares its limit. A hostile or
// broken CA that sends more fails the request with a message naming the limit.

#include "http/capped_body.hpp"

#include <cstddef>

namespace wildcert::acme::limits {

inline constexpr std::size_t k_json_bytes = 256 * 1024;

inline constexpr http::BodyLimit k_directory{k_json_bytes, "an ACME directory"};
inline constexpr http::BodyLimit k_nonce{k_json_bytes, "an ACME newNonce response"};
inline constexpr http::BodyLimit k_account{k_json_bytes, "an ACME account"};
inline constexpr http::BodyLimit k_order{k_json_bytes, "an ACME order"};
inline constexpr http::BodyLimit k_authorization{k_json_bytes, "an ACME authorization"};
inline constexpr http::BodyLimit k_challenge{k_json_bytes, "an ACME challenge"};
inline constexpr http::BodyLimit k_revocation{k_json_bytes, "an ACME revocation response"};
inline constexpr http::BodyLimit k_renewal_info{k_json_bytes, "ACME renewal information"};

// A chain is a leaf and one to three intermediates of 1-2 KB each in PEM; 4 MiB and ten
// certificates leave room for any real one (RSA-4096 and cross-signs included).
inline constexpr http::BodyLimit k_certificate_chain{4 * 1024 * 1024, "a certificate chain"};
inline constexpr std::size_t k_max_chain_certificates = 10;
// Alternate chains (RFC 8555 §7.4.2 Link rel="alternate"): CAs offer one or two.
inline constexpr std::size_t k_max_alternate_chains = 4;

} // namespace wildcert::acme::limits
