#include "dns/rcode.hpp"

#include <array>
#include <string_view>

namespace wildcert::dns {

std::string rcode_name(int rcode) {
    // RFC 1035 §4.1.1 (0-5) and RFC 2136 §2.2 (6-10).
    static constexpr std::array<std::string_view, 11> k_names{
        "NOERROR",  "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED",
        "YXDOMAIN", "YXRRSET", "NXRRSET",  "NOTAUTH",  "NOTZONE"};
    if (rcode >= 0 && static_cast<std::size_t>(rcode) < k_names.size())
        return std::string(k_names[static_cast<std::size_t>(rcode)]);
    return "RCODE " + std::to_string(rcode);
}

std::string tsig_error_name(int error) {
    // RFC 8945 §5.3.2 and RFC 6895 §2.3.
    switch (error) {
    case 0:
        return "NOERROR";
    case 16:
        return "BADSIG";
    case 17:
        return "BADKEY";
    case 18:
        return "BADTIME";
    case 22:
        return "BADTRUNC";
    default:
        return rcode_name(error);
    }
}

} // namespace wildcert::dns
