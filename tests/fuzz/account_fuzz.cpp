// libFuzzer target: an ACME account object (RFC 8555 §7.1.2) through the parser that
// fetch_account and update_contact use. Any bytes give an account or an error.
#include "acme/documents.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    if (const auto account = wildcert::acme::parse_account(body)) {
        std::size_t total = std::string_view(to_string(account->status)).size();
        for (const auto& contact : account->contact)
            total += contact.size();
        (void)total;
    }
    return 0;
}
