#include "providers/route53/sigv4.hpp"

#include "crypto/digest.hpp"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <map>

namespace wildcert::providers::route53::sigv4 {
namespace {

bool is_unreserved(unsigned char c) {
    return std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~';
}

int hex_value(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// A '%' not followed by two hex digits is kept as a literal '%' (and encoded later).
std::string percent_decode(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size()) {
            const int high = hex_value(text[i + 1]);
            const int low = hex_value(text[i + 2]);
            if (high >= 0 && low >= 0) {
                out += static_cast<char>(high * 16 + low);
                i += 2;
                continue;
            }
        }
        out += text[i];
    }
    return out;
}

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// Task 1: "trim leading and trailing spaces, convert sequential spaces to a single space";
// obs-folded continuation lines count as spaces too (get-header-value-multiline).
std::string canonical_header_value(std::string_view value) {
    std::string out;
    bool pending_space = false;
    for (const char c : value) {
        if (is_space(c)) {
            pending_space = !out.empty();
            continue;
        }
        if (pending_space)
            out += ' ';
        pending_space = false;
        out += c;
    }
    return out;
}

std::string hex_sha256(std::string_view data) {
    return crypto::hex_lower(crypto::sha256(data));
}

std::vector<std::uint8_t> hmac(std::span<const std::uint8_t> key, std::string_view data) {
    return crypto::hmac(crypto::HmacHash::sha256, key, data);
}

} // namespace

std::string Scope::str() const {
    return date + "/" + region + "/" + service + "/aws4_request";
}

std::string uri_encode(std::string_view text) {
    constexpr std::string_view k_digits = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (is_unreserved(byte)) {
            out += c;
        } else {
            out += '%';
            out += k_digits[byte >> 4];
            out += k_digits[byte & 0x0f];
        }
    }
    return out;
}

std::string canonical_uri(std::string_view path) {
    std::vector<std::string_view> segments;
    bool directory = path.empty() || path.back() == '/';
    std::size_t start = 0;
    while (start <= path.size()) {
        const auto end = std::min(path.find('/', start), path.size());
        const auto segment = path.substr(start, end - start);
        start = end + 1;
        // RFC 3986 §5.2.4 remove_dot_segments; empty segments are collapsed as AWS does.
        const bool last = end == path.size();
        if (segment == "." || segment == "..") {
            if (segment == ".." && !segments.empty())
                segments.pop_back();
            directory = directory || last;
            continue;
        }
        if (!segment.empty())
            segments.push_back(segment);
    }
    std::string out;
    for (const auto segment : segments)
        out += "/" + uri_encode(segment);
    if (out.empty() || directory)
        out += "/";
    return out;
}

std::string canonical_query(std::string_view query) {
    std::vector<std::pair<std::string, std::string>> params;
    std::size_t start = 0;
    while (start < query.size()) {
        const auto end = std::min(query.find('&', start), query.size());
        const auto param = query.substr(start, end - start);
        start = end + 1;
        if (param.empty())
            continue;
        const auto equals = param.find('=');
        const auto name = param.substr(0, equals);
        const auto value =
            equals == std::string_view::npos ? std::string_view{} : param.substr(equals + 1);
        params.emplace_back(uri_encode(percent_decode(name)), uri_encode(percent_decode(value)));
    }
    // Sorted by encoded name, then by encoded value (get-vanilla-query-order-key).
    std::sort(params.begin(), params.end());
    std::string out;
    for (const auto& [name, value] : params)
        out += (out.empty() ? "" : "&") + name + "=" + value;
    return out;
}

std::string format_amz_date(std::chrono::system_clock::time_point time) {
    const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[32];
    const auto length = std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &utc);
    return std::string(text, length);
}

std::vector<std::uint8_t> signing_key(std::string_view secret_access_key, const Scope& scope) {
    const std::string seed = "AWS4" + std::string(secret_access_key);
    const std::vector<std::uint8_t> seed_bytes(seed.begin(), seed.end());
    const auto date_key = hmac(seed_bytes, scope.date);
    const auto region_key = hmac(date_key, scope.region);
    const auto service_key = hmac(region_key, scope.service);
    return hmac(service_key, "aws4_request");
}

Signature sign(const Request& request, std::string_view access_key_id,
               std::string_view secret_access_key, std::string_view amz_date,
               std::string_view region, std::string_view service) {
    const auto query_start = request.target.find('?');
    const std::string_view target = request.target;
    const auto path = target.substr(0, query_start);
    const auto query =
        query_start == std::string_view::npos ? std::string_view{} : target.substr(query_start + 1);

    // Repeated headers are joined with ',' in the order they appear (get-header-key-duplicate).
    std::map<std::string, std::string> headers;
    for (const auto& [name, value] : request.headers) {
        auto& joined = headers[lower(name)];
        joined += (joined.empty() ? "" : ",") + canonical_header_value(value);
    }
    std::string canonical_headers;
    std::string signed_headers;
    for (const auto& [name, value] : headers) {
        canonical_headers += name + ":" + value + "\n";
        signed_headers += (signed_headers.empty() ? "" : ";") + name;
    }

    Signature result;
    result.canonical_request = request.method + "\n" + canonical_uri(path) + "\n" +
                               canonical_query(query) + "\n" + canonical_headers + "\n" +
                               signed_headers + "\n" + hex_sha256(request.payload);

    const Scope scope{std::string(amz_date.substr(0, 8)), std::string(region),
                      std::string(service)};
    result.string_to_sign = std::string(k_algorithm) + "\n" + std::string(amz_date) + "\n" +
                            scope.str() + "\n" + hex_sha256(result.canonical_request);
    result.signature =
        crypto::hex_lower(hmac(signing_key(secret_access_key, scope), result.string_to_sign));
    result.signed_headers = signed_headers;
    result.authorization = std::string(k_algorithm) + " Credential=" + std::string(access_key_id) +
                           "/" + scope.str() + ", SignedHeaders=" + signed_headers +
                           ", Signature=" + result.signature;
    return result;
}

bool same_signature(std::string_view a, std::string_view b) {
    if (a.size() != b.size())
        return false;
    unsigned char difference = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        difference |= static_cast<unsigned char>(a[i] ^ b[i]);
    return difference == 0;
}

} // namespace wildcert::providers::route53::sigv4
