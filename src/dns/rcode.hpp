#pragma once
// Names of DNS response codes and TSIG errors, for messages.

#include <string>

namespace wildcert::dns {

// RFC 1035 §4.1.1, RFC 2136 §2.2, RFC 6895 §2.3: "NOERROR", "REFUSED", "NOTAUTH", ... and
// "RCODE 12" for codes without a name.
[[nodiscard]] std::string rcode_name(int rcode);

// RFC 8945 §5.3.2 (TSIG Error field): "BADSIG", "BADKEY", "BADTIME", "BADTRUNC", ...
[[nodiscard]] std::string tsig_error_name(int error);

} // namespace wildcert::dns
