// libFuzzer target: a Route 53 response body (REST-XML) through the XML reader and the AWS error
// parser. Response bodies are untrusted: any bytes must give a document, an error or nothing,
// never a crash, unbounded recursion or a sanitizer report.
#include "providers/route53/aws_error.hpp"
#include "providers/route53/xml.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace {

// Walks the whole tree the way the provider's readers do.
std::size_t visit(const wildcert::providers::route53::xml::Element& element) {
    std::size_t count = 1 + element.attribute("xmlns").size() + element.child_text("Value").size();
    for (const auto& child : element.children)
        count += visit(child);
    return count;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace route53 = wildcert::providers::route53;
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    if (const auto document = route53::xml::parse(body); document.ok())
        (void)visit(*document);
    if (const auto error = route53::parse_aws_error(body))
        (void)route53::is_retryable(*error);
    return 0;
}
