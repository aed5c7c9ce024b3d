// libFuzzer target: a Cloudflare API v4 answer through the envelope parser (errors, error
// chains, redaction) and the readers of the record list and zone answers. The first byte
// picks the HTTP status, so that success and failure envelopes are both explored.
#include "providers/cloudflare/cloudflare_api.hpp"
#include "providers/cloudflare/cloudflare_records.hpp"
#include "providers/cloudflare/cloudflare_zones.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

constexpr std::array<int, 8> k_statuses{200, 400, 401, 403, 404, 409, 429, 500};

// Stands for the configured token: server text that echoes it must come back redacted.
std::string redact(std::string text) {
    constexpr std::string_view k_secret = "fuzz-secret-token";
    for (auto at = text.find(k_secret); at != std::string::npos; at = text.find(k_secret, at))
        text.replace(at, k_secret.size(), "[redacted]");
    return text;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace cloudflare = wildcert::providers::cloudflare;
    if (size == 0)
        return 0;
    const int status = k_statuses[data[0] % k_statuses.size()];
    const std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
    const auto reply = cloudflare::parse_reply(status, body, redact);
    std::size_t total = reply.body_excerpt.size();
    for (const auto& error : reply.errors) {
        if (error.message.find("fuzz-secret-token") != std::string::npos)
            __builtin_trap(); // a secret survived redaction
        total += error.message.size();
    }
    (void)reply.has_code(cloudflare::k_code_identical_record_exists);
    if (reply.body) {
        const auto page = cloudflare::read_txt_page(*reply.body);
        for (const auto& entry : page.entries)
            total += cloudflare::content_matches(entry.content, "value") ? 1 : entry.id.size();
        total += cloudflare::read_zone_name(*reply.body).value_or("").size();
        if (const auto zone = cloudflare::choose_zone(*reply.body, "example.com"))
            total += zone->id.size();
    }
    (void)total;
    return 0;
}
