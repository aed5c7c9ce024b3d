#pragma once
// Everything the propagation checker and discovery conclude from one DNS reply, as a function
// of the reply's wire bytes (RFC 1035 §4). The checker sees replies only through an Asker;
// this one answers every question with the given bytes, so a fuzz target (tests/fuzz) drives
// the real decoding and evaluation code without a network, and without seeing ldns.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace wildcert::dns {

// Decodes `wire` as a reply, then runs each evaluation on it as the answer to a question about
// the name in its question section (`fallback_name` when it has none):
// whether it answers that question (id, QR bit, question section), the TXT check of the
// propagation checker for `expected` values (rcode, AA bit, values), the SOA serial probe,
// CNAME following, zone apex and NS discovery, and discovery by delegation (referrals, glue,
// lame servers). Every evaluation that fails says so in one line; none may crash, loop
// without bound or read past the bytes. Returns one line per evaluation, for tests and the
// fuzz corpus README. Undecodable bytes give a single line.
[[nodiscard]] std::vector<std::string> check_reply(const std::string& fallback_name,
                                                   const std::vector<std::string>& expected,
                                                   std::span<const std::uint8_t> wire);

} // namespace wildcert::dns
