// libFuzzer target: an ACME problem document (RFC 8555 §6.7, RFC 7807) and a Retry-After value
// (RFC 9110 §10.2.3) as a server might send them. Server input is untrusted: any bytes must
// give a problem or nothing, never a crash or a sanitizer report.
#include "acme/problem.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    if (const auto problem = wildcert::acme::problem_from_json(text)) {
        (void)problem->describe();
        (void)problem->short_type();
    }
    // A fixed clock: no input may depend on the time of the run.
    const std::chrono::system_clock::time_point now{std::chrono::seconds(1'700'000'000)};
    (void)wildcert::acme::parse_retry_after(text, now);
    return 0;
}
