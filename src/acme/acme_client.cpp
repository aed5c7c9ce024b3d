#include "acme/acme_client.hpp"

#include "acme/document_limits.hpp"
#include "acme/documents.hpp"
#include "acme/jws.hpp"
#include "acme/problem.hpp"
#include "acme/problem_hints.hpp"
#include "common/cancellable_wait.hpp"
#include "common/printable.hpp"

#include <algorithm>
#include <optional>

namespace wildcert::acme {
namespace {

// RFC 8555 §6.5: a client SHOULD retry badNonce; a server that keeps rejecting is broken, so
// the number of retries is bounded. The bound is sized for a CA that rejects half of all good
// nonces (Pebble's PEBBLE_WFE_NONCEREJECT=50): one request then fails after n retries with
// probability 2^-(n+1). With 10 that is 1 in 2048, and a fleet renewal sends hundreds of
// requests, so some runs failed; with 30 it is 1 in 2^31, while a server that rejects every
// nonce still fails the request after 31 quick round trips.
constexpr int k_max_bad_nonce_retries = 30;

bool is_success(int status) {
    return status >= 200 && status < 300;
}

std::string attempts_text(int attempts) {
    return "gave up after " + std::to_string(attempts) + " attempt" + (attempts == 1 ? "" : "s");
}

// Sends with `send_one(failure)` until it succeeds, fails for good, or the policy's attempts
// run out. `idempotent`: the request may be repeated even if the server might have acted on
// it (GET, POST-as-GET). Every wait is bounded by policy.max_wait, so the loop is too.
template <typename SendOne>
Result<http::Response> with_retries(const RetryPolicy& policy, const std::string& url,
                                    bool idempotent, SendOne&& send_one) {
    auto backoff = policy.first_backoff;
    for (int attempt = 1;; ++attempt) {
        auto failure = http::Failure::none;
        auto response = send_one(failure);
        const bool last = attempt >= policy.max_attempts;
        auto wait = backoff;
        if (!response.ok()) {
            const bool retryable = failure == http::Failure::unreachable ||
                                   (idempotent && failure == http::Failure::no_response);
            if (!retryable)
                return response;
            if (last) {
                return make_error(response.error().kind,
                                  response.error().message + "; " + attempts_text(attempt));
            }
        } else {
            const int status = response->status;
            if (status < 500)
                return response;
            std::optional<std::chrono::seconds> retry_after;
            if (const auto header = response->header("retry-after"))
                retry_after = parse_retry_after(*header, std::chrono::system_clock::now());
            // A 5xx to a POST that creates something (newOrder, finalize, a challenge
            // answer) may come after the CA acted; only 503 with Retry-After says "not now,
            // nothing done" (RFC 9110 §15.6.4, §10.2.3). Sending it again is safe then (RFC 8555
            // §6.5: the new JWS carries a fresh nonce), and a CA that did act returns the same
            // authorization or order state, which the client re-fetches by URL anyway.
            const bool retryable = idempotent || (status == 503 && retry_after);
            if (!retryable)
                return response;
            if (last) {
                const auto problem = problem_from_response(*response);
                return problem_error(url + ": HTTP " + std::to_string(status) + " " +
                                         problem.describe() + "; " + attempts_text(attempt),
                                     problem);
            }
            if (retry_after)
                wait = std::chrono::duration_cast<std::chrono::milliseconds>(*retry_after);
        }
        if (!common::wait_for(std::min(wait, policy.max_wait), policy.cancelled))
            return make_error(ErrorKind::interrupted, url + ": interrupted while waiting to retry");
        backoff = std::min(backoff * 2, policy.max_wait);
    }
}

// What came back from a directory URL instead of a directory: "HTTP 404 with text/html".
std::string not_a_directory(const http::Response& response) {
    std::string text =
        "HTTP " + std::to_string(response.status) + " with " +
        common::printable(response.header("content-type").value_or("no content type"));
    // Go's and nginx's TLS listeners answer plain HTTP with a 400 that says so ("Client sent
    // an HTTP request to an HTTPS server", "The plain HTTP request was sent to HTTPS port").
    const auto& body = response.body;
    if (response.status == 400 && body.find("HTTPS") != std::string::npos)
        text += "; the server expects HTTPS here: use an https:// URL";
    return text;
}

} // namespace

Result<AcmeClient> AcmeClient::connect(http::Client& http, const std::string& directory_url,
                                       RetryPolicy policy) {
    const auto context = "ACME directory " + directory_url;
    WILDCERT_TRY(const auto response,
                 with_retries(policy, directory_url, true, [&](http::Failure& failure) {
                     auto request = http::make_request("GET", directory_url);
                     request.limit = limits::k_directory;
                     return http.send(request, &failure);
                 }));
    // A directory, and a CA's refusal (a problem document), are JSON objects. Anything else
    // at this URL (a web server's 404 page, a site's home page, a TLS port asked in plain
    // HTTP) is not an ACME server at all, and the message says so instead of quoting a
    // problem that is not there.
    if (!body_is_json_object(response))
        return make_error(ErrorKind::acme,
                          context + ": not an ACME directory: " + not_a_directory(response));
    if (!is_success(response.status)) {
        const auto problem = problem_from_response(response);
        return problem_error(context + ": " + problem.describe(), problem);
    }
    auto directory = parse_directory(response.body, directory_url);
    if (!directory.ok())
        return directory.error().with_context(context);
    return AcmeClient(http, std::move(directory).value());
}

void AcmeClient::use_account(const crypto::PrivateKey& key, std::string account_url) {
    m_key = &key;
    m_account_url = std::move(account_url);
}

void AcmeClient::remember_nonce(const http::Response& response) {
    if (auto nonce = response.header("replay-nonce"); nonce && !nonce->empty())
        m_nonce = std::move(*nonce);
}

Result<std::string> AcmeClient::take_nonce(http::Failure& failure) {
    if (m_nonce.empty()) {
        auto request = http::make_request("HEAD", m_directory.new_nonce);
        request.limit = limits::k_nonce;
        auto sent = m_http->send(request, &failure);
        // The POST itself was not sent yet: trying again is safe, and worth it unless the
        // failure is one a retry cannot fix (a certificate that does not verify, plain http).
        if (sent.ok() ? sent->status >= 500 : failure != http::Failure::other)
            failure = http::Failure::unreachable;
        WILDCERT_TRY(const auto response, std::move(sent));
        remember_nonce(response);
        if (m_nonce.empty()) {
            return make_error(ErrorKind::acme, "newNonce " + m_directory.new_nonce + ": HTTP " +
                                                   std::to_string(response.status) +
                                                   " without a Replay-Nonce header");
        }
    }
    return std::exchange(m_nonce, std::string());
}

Result<http::Response> AcmeClient::post(const std::string& url, std::string_view payload,
                                        http::BodyLimit limit, std::string_view accept) {
    if (m_key == nullptr) {
        std::fputs("wildcert: bug: AcmeClient::post without an account key\n", stderr);
        std::abort();
    }
    return with_retries(m_retry, url, payload.empty(), [&](http::Failure& failure) {
        return send_once(url, payload, limit, accept, failure);
    });
}

Result<http::Response> AcmeClient::send_once(const std::string& url, std::string_view payload,
                                             http::BodyLimit limit, std::string_view accept,
                                             http::Failure& failure) {
    for (int attempt = 0;; ++attempt) {
        WILDCERT_TRY(auto nonce, take_nonce(failure));
        WILDCERT_TRY(auto body,
                     sign_jws(*m_key, {.url = url, .nonce = std::move(nonce), .kid = m_account_url},
                              payload));
        auto request = http::make_request("POST", url);
        request.content_type = "application/jose+json";
        request.body = std::move(body);
        request.limit = limit;
        if (!accept.empty())
            request.headers.emplace_back("Accept", std::string(accept));
        WILDCERT_TRY(auto response, m_http->send(request, &failure));
        remember_nonce(response);
        if (response.status == 400 && attempt < k_max_bad_nonce_retries &&
            problem_from_response(response).is(problem_type::k_bad_nonce)) {
            if (m_on_bad_nonce)
                m_on_bad_nonce(url, attempt + 1);
            continue;
        }
        return response;
    }
}

Result<http::Response> AcmeClient::get(const std::string& url, http::BodyLimit limit) {
    auto request = http::make_request("GET", url);
    request.limit = limit;
    return m_http->send(request);
}

Result<void> expect_success(const http::Response& response, const std::string& context,
                            std::string_view terms_of_service) {
    if (is_success(response.status))
        return {};
    const auto problem = problem_from_response(response);
    return problem_error(
        context + ": " + problem.describe() +
            problem_hint(problem, response, terms_of_service, std::chrono::system_clock::now()),
        problem);
}

Result<std::string> location_url(const http::Response& response, const std::string& context) {
    auto location = response.header("location");
    if (!location || location->empty())
        return make_error(ErrorKind::acme, context + ": no Location header in the answer");
    if (const auto parsed = http::parse_url(*location); !parsed.ok())
        return make_error(ErrorKind::acme,
                          context + ": Location header: " + parsed.error().message);
    return std::move(*location);
}

} // namespace wildcert::acme
