#include "store/certificate_name.hpp"

#include <string>

namespace wildcert::store {

namespace {

// Far below NAME_MAX (255) so that "<name>.tmp-<pid>-<random>" still fits.
constexpr std::size_t k_max_name_length = 200;

} // namespace

Result<void> check_certificate_name(std::string_view name) {
    const auto fail = [&](const char* why) {
        return make_error(ErrorKind::usage,
                          "certificate name \"" + std::string(name) + "\": " + why);
    };
    if (name.empty()) {
        return make_error(ErrorKind::usage, "certificate name is empty");
    }
    if (name.size() > k_max_name_length) {
        return fail("longer than 200 bytes");
    }
    if (name.front() == '.') {
        return fail("must not start with '.'");
    }
    if (name.find(".tmp-") != std::string_view::npos) {
        return fail("\".tmp-\" is reserved for wildcert's temporary files");
    }
    for (const char c : name) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '/' || byte < 0x20 || byte == 0x7f) {
            return make_error(ErrorKind::usage,
                              "certificate name: must not contain '/' or control characters");
        }
    }
    return {};
}

} // namespace wildcert::store
