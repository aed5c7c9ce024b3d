#include "providers/cloudflare/cloudflare_api.hpp"

#include "common/cancellable_wait.hpp"
#include "common/printable.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace wildcert::providers::cloudflare {
namespace {

// Cloudflare codes behind the usual credential and permission mistakes (research notes
// §1.10; certbot-dns-cloudflare gives hints for the same codes).
constexpr std::int64_t k_code_invalid_headers = 6003;
constexpr std::int64_t k_code_bad_email_format = 6102;
constexpr std::int64_t k_code_bad_key_format = 6103;
constexpr std::int64_t k_code_bad_authorization_format = 6111;
constexpr std::int64_t k_code_bad_global_key = 9103;
constexpr std::int64_t k_code_invalid_token = 9109;
constexpr std::int64_t k_code_authentication_error = 10000;
constexpr std::int64_t k_code_no_dns_edit = 1009;

constexpr std::size_t k_excerpt_bytes = 200;
constexpr std::string_view k_redacted = "[redacted]";
// A Retry-After of 0 (or garbage) must not turn the retries into a busy loop.
constexpr std::chrono::seconds k_min_retry_wait{1};

bool is_unreserved(unsigned char c) {
    return std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_' || c == '~';
}

// Retry-After as delta-seconds (RFC 9110 §10.2.3). Cloudflare sends seconds; an HTTP-date is
// treated like a missing header.
std::chrono::seconds retry_after(const http::Response& response) {
    const auto text = response.header("retry-after").value_or("");
    std::int64_t seconds = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
    if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || seconds < 1)
        return k_min_retry_wait;
    return std::chrono::seconds(seconds);
}

void append_errors(const json::Value& owner, std::string_view key, std::vector<ApiError>& out) {
    for (const auto& item : owner.array_member(key)) {
        // The API's words go into messages: escaped (common/printable.hpp).
        out.push_back(ApiError{item.int_member("code").value_or(0),
                               common::printable(item.string_member("message").value_or(""))});
        // The chain holds the precise reason, e.g. 6003 "Invalid request headers" is
        // explained by 6111 "Invalid format for Authorization header".
        append_errors(item, "error_chain", out);
    }
}

std::string describe_errors(const Reply& reply) {
    std::string text;
    for (const auto& error : reply.errors) {
        if (!text.empty())
            text += "; ";
        text += std::to_string(error.code) + " " + error.message;
    }
    if (text.empty())
        text = reply.body_excerpt.empty() ? "no error details" : reply.body_excerpt;
    return text;
}

bool mentions_permission(const Reply& reply) {
    return std::any_of(reply.errors.begin(), reply.errors.end(), [](const ApiError& error) {
        return error.message.find("permission") != std::string::npos;
    });
}

} // namespace

bool Reply::has_code(std::int64_t code) const {
    return std::any_of(errors.begin(), errors.end(),
                       [code](const ApiError& error) { return error.code == code; });
}

Reply parse_reply(int status, std::string_view body, const RedactFunction& redact) {
    Reply reply;
    reply.status = status;
    auto parsed = json::Document::parse(body);
    if (!parsed || !parsed->root().is_object()) {
        reply.body_excerpt = redact(common::printable(body, k_excerpt_bytes));
        return reply;
    }
    const auto root = parsed->root();
    append_errors(root, "errors", reply.errors);
    for (auto& error : reply.errors)
        error.message = redact(std::move(error.message));
    reply.success = status >= 200 && status < 300 && root.bool_member("success").value_or(false);
    reply.body = std::move(parsed).value();
    return reply;
}

bool is_plain_id(std::string_view id) {
    return !id.empty() &&
           std::all_of(id.begin(), id.end(), [](unsigned char c) { return std::isalnum(c) != 0; });
}

std::string query_escape(std::string_view value) {
    static constexpr char k_hex[] = "0123456789ABCDEF";
    std::string out;
    for (const unsigned char c : value) {
        if (is_unreserved(c)) {
            out.push_back(static_cast<char>(c));
        } else {
            out.push_back('%');
            out.push_back(k_hex[c >> 4]);
            out.push_back(k_hex[c & 0x0f]);
        }
    }
    return out;
}

Api::Api(const Config& config, SleepFunction sleep, std::function<bool()> cancelled)
    : m_client(config.http), m_api_url(config.api_url), m_credentials(config.credentials),
      m_sleep(std::move(sleep)), m_cancelled(std::move(cancelled)) {
    if (!m_sleep)
        m_sleep = [cancelled = m_cancelled](std::chrono::milliseconds duration) {
            (void)common::wait_for(duration, cancelled);
        };
}

http::Request Api::make_request(std::string_view method, const std::string& path_and_query,
                                std::string body) const {
    auto request = http::make_request(std::string(method), m_api_url + path_and_query);
    // Bearer token (RFC 6750) when configured, else the legacy pair (Cloudflare docs,
    // "Make API calls").
    if (m_credentials.uses_token()) {
        request.headers.emplace_back("Authorization", "Bearer " + m_credentials.api_token);
    } else {
        request.headers.emplace_back("X-Auth-Email", m_credentials.email);
        request.headers.emplace_back("X-Auth-Key", m_credentials.api_key);
    }
    request.headers.emplace_back("Accept", "application/json");
    if (!body.empty()) {
        request.content_type = "application/json";
        request.body = std::move(body);
    }
    return request;
}

Result<Reply> Api::call(std::string_view method, const std::string& path_and_query,
                        std::string body) {
    const auto request = make_request(method, path_and_query, std::move(body));
    std::chrono::seconds waited{0};
    for (int attempt = 0;; ++attempt) {
        WILDCERT_TRY(const auto response, m_client.send(request));
        // HTTP 429 is the only signal of the rate limit; its body carries no stable code
        // (Cloudflare docs, "Rate limits").
        if (response.status != 429)
            return parse_reply(response.status, response.body,
                               [this](std::string text) { return redact(std::move(text)); });
        const auto wait = retry_after(response);
        if (attempt >= k_max_retries || waited + wait > k_max_wait) {
            return make_error(ErrorKind::provider,
                              std::string(method) + " " + m_api_url + path_and_query +
                                  ": HTTP 429: rate limited; gave up after " +
                                  std::to_string(attempt) + " retries (Retry-After " +
                                  std::to_string(wait.count()) + "s, at most " +
                                  std::to_string(k_max_wait.count()) + "s of waiting per call)");
        }
        m_sleep(wait);
        if (m_cancelled && m_cancelled())
            return make_error(ErrorKind::interrupted, std::string(method) + " " + m_api_url +
                                                          path_and_query +
                                                          ": interrupted while rate limited");
        waited += wait;
    }
}

Result<json::Document> Api::expect_success(Reply reply, std::string_view what) const {
    if (reply.success && reply.body)
        return std::move(*reply.body);
    std::string message = std::string(what) + ": HTTP " + std::to_string(reply.status) + ": " +
                          describe_errors(reply);
    if (const auto advice = hint(reply); !advice.empty())
        message += "; hint: " + advice;
    return make_error(ErrorKind::provider, std::move(message));
}

std::string Api::hint(const Reply& reply) const {
    const bool token = m_credentials.uses_token();
    if (reply.has_code(k_code_invalid_token) || reply.has_code(k_code_bad_authorization_format) ||
        reply.has_code(k_code_bad_global_key) || reply.has_code(k_code_bad_email_format) ||
        reply.has_code(k_code_bad_key_format) || reply.has_code(k_code_invalid_headers) ||
        reply.status == 401) {
        return token ? "Cloudflare does not accept the API token (wrong, expired, revoked, or "
                       "not allowed from this address): check api_token"
                     : "Cloudflare does not accept the e-mail address and Global API Key: "
                       "check email and api_key";
    }
    if (reply.has_code(k_code_authentication_error) || reply.has_code(k_code_no_dns_edit) ||
        mentions_permission(reply) || reply.status == 403) {
        return token ? "the API token needs the permissions Zone:Zone:Read and Zone:DNS:Edit "
                       "for this zone (Cloudflare dashboard: My Profile > API Tokens)"
                     : "the account of this Global API Key cannot edit this zone";
    }
    return {};
}

std::string Api::redact(std::string text) const {
    for (const auto* secret : {&m_credentials.api_token, &m_credentials.api_key}) {
        if (secret->empty())
            continue;
        for (auto at = text.find(*secret); at != std::string::npos;
             at = text.find(*secret, at + k_redacted.size()))
            text.replace(at, secret->size(), k_redacted);
    }
    return text;
}

} // namespace wildcert::providers::cloudflare
