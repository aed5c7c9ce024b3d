// libFuzzer target: an ACME directory (RFC 8555 §7.1.1) through the parser AcmeClient::connect
// uses. Server input is untrusted: any bytes give a directory or an error, never a crash.
#include "acme/documents.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    if (const auto directory = wildcert::acme::parse_directory(body, "https://ca.test/dir")) {
        std::size_t total = directory->new_nonce.size() + directory->terms_of_service.size();
        for (const auto& [name, description] : directory->profiles)
            total += name.size() + description.size();
        for (const auto& identity : directory->caa_identities)
            total += identity.size();
        (void)total;
    }
    return 0;
}
