// libFuzzer target: a DNS reply in wire format (RFC 1035 §4) through ldns's decoder and every
// evaluation the propagation checker and discovery make of a reply (dns/reply_check.hpp):
// question match, TXT values, rcode, AA, truncation, SOA serial, CNAME, referrals, glue.
// Replies come from the network: any bytes must give a verdict, never a crash or a hang.
#include "dns/reply_check.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::vector<std::string> k_expected{"ZTRx1Ckl1-tM05o5zaizTTA0yUy5AGereMgSNWC6Ll8"};
    const auto lines = wildcert::dns::check_reply("_acme-challenge.fuzz.test.", k_expected,
                                                  std::span<const std::uint8_t>(data, size));
    (void)lines;
    return 0;
}
