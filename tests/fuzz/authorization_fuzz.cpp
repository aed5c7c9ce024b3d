// libFuzzer target: an ACME authorization (RFC 8555 §7.1.4) with its challenges and their
// embedded problems, through the parser fetch_authorization uses. Any bytes give an
// authorization or an error, never a crash.
#include "acme/documents.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    if (const auto authorization =
            wildcert::acme::parse_authorization(body, "https://ca.test/authz/1")) {
        std::size_t total = authorization->identifier.size();
        if (const auto* challenge = authorization->challenge("dns-01"))
            total += challenge->token.size();
        if (const auto problem = authorization->error())
            total += problem->describe().size();
        (void)total;
    }
    return 0;
}
