// libFuzzer target: an ACME order (RFC 8555 §7.1.3) through the parser that newOrder, order
// polls and finalize use, including an embedded problem document. Any bytes give an order or
// an error, never a crash.
#include "acme/documents.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    if (const auto order = wildcert::acme::parse_order(body, "https://ca.test/order/1")) {
        std::size_t total =
            std::string_view(to_string(order->status)).size() + order->finalize.size();
        for (const auto& identifier : order->identifiers)
            total += identifier.size();
        for (const auto& authorization : order->authorizations)
            total += authorization.size();
        if (order->error)
            total += order->error->describe().size();
        (void)total;
    }
    return 0;
}
