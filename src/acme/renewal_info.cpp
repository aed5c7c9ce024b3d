#include "acme/renewal_info.hpp"

#include "acme/document_limits.hpp"
#include "acme/problem.hpp"
#include "acme/rfc3339.hpp"
#include "crypto/base64.hpp"
#include "json/json.hpp"

#include <algorithm>
#include <cmath>

namespace wildcert::acme {
namespace {

using namespace std::chrono_literals;

// RFC 9773 §4.3: bounds for the interval between checks, and the long-term default.
constexpr std::chrono::seconds k_min_check = 1min;
constexpr std::chrono::seconds k_max_check = 24h;
constexpr std::chrono::seconds k_default_check = 6h;

} // namespace

std::string ari_cert_id(std::span<const std::uint8_t> authority_key_id,
                        std::span<const std::uint8_t> serial_der) {
    if (authority_key_id.empty() || serial_der.empty())
        return {};
    return crypto::base64url_encode(authority_key_id) + "." + crypto::base64url_encode(serial_der);
}

Result<RenewalInfo> parse_renewal_info(std::string_view body) {
    const std::string context = "renewal info";
    auto document = json::Document::parse(body);
    if (!document.ok())
        return document.error().with_context(context);
    const auto window = document->root().member("suggestedWindow");
    if (!window || !window->is_object())
        return make_error(ErrorKind::acme, context + ": no suggestedWindow object");
    const auto start_text = window->string_member("start");
    const auto end_text = window->string_member("end");
    const auto start = start_text ? parse_rfc3339(*start_text) : std::nullopt;
    const auto end = end_text ? parse_rfc3339(*end_text) : std::nullopt;
    if (!start || !end) {
        return make_error(ErrorKind::acme,
                          context + ": suggestedWindow start/end missing or not RFC 3339");
    }
    if (*end <= *start) {
        return make_error(ErrorKind::acme, context + ": suggestedWindow ends (" + *end_text +
                                               ") before it starts (" + *start_text + ")");
    }
    RenewalInfo info;
    info.window_start = *start;
    info.window_end = *end;
    info.explanation_url = document->root().string_member("explanationURL").value_or("");
    return info;
}

Result<RenewalInfo> fetch_renewal_info(AcmeClient& client, const std::string& cert_id) {
    const auto& base = client.directory().renewal_info;
    if (base.empty() || cert_id.empty()) {
        std::fputs("wildcert: bug: fetch_renewal_info without renewalInfo or CertID\n", stderr);
        std::abort();
    }
    const auto url = base + (base.back() == '/' ? "" : "/") + cert_id;
    WILDCERT_TRY(const auto response, client.get(url, limits::k_renewal_info));
    WILDCERT_CHECK(expect_success(response, "renewal info " + url));
    auto info = parse_renewal_info(response.body);
    if (!info.ok())
        return info.error().with_context(url);
    if (const auto retry = response.header("retry-after"))
        info->retry_after = parse_retry_after(*retry, std::chrono::system_clock::now());
    return info;
}

std::chrono::seconds next_renewal_info_check(const RenewalInfo& info) {
    if (!info.retry_after)
        return k_default_check;
    return std::clamp(*info.retry_after, k_min_check, k_max_check);
}

std::chrono::system_clock::time_point pick_renewal_time(const RenewalInfo& info,
                                                        const std::function<double()>& uniform) {
    const auto width = info.window_end - info.window_start;
    double fraction = uniform ? uniform() : 0.0;
    if (!(fraction >= 0.0) || fraction >= 1.0) // also catches NaN
        fraction = 0.0;
    const auto offset = std::chrono::duration_cast<std::chrono::system_clock::duration>(
        std::chrono::duration<double, std::chrono::system_clock::period>(
            std::floor(static_cast<double>(width.count()) * fraction)));
    return info.window_start + offset;
}

} // namespace wildcert::acme
