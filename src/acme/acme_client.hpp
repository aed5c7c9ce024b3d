#pragma once
// The ACME transport: directory, nonces, signed POSTs (RFC 8555 §6, §7.1.1, §7.2).

#include "crypto/private_key.hpp"
#include "http/http_client.hpp"

#include <wildcert/result.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace wildcert::acme {

// RFC 8555 §7.1.1
struct Directory {
    std::string url;
    std::string new_nonce;
    std::string new_account;
    std::string new_order;
    std::string revoke_cert;
    std::string key_change;
    std::string terms_of_service;                // meta.termsOfService
    bool external_account_required = false;      // meta.externalAccountRequired
    std::string renewal_info;                    // RFC 9773 §3; "" when the CA has no ARI
    std::map<std::string, std::string> profiles; // meta.profiles: name -> description
    std::vector<std::string> caa_identities;     // meta.caaIdentities (RFC 8555 §7.1.1)
};

// Bounded retries of transient failures (5xx, a reset or stalled connection). The CA's
// Retry-After is honoured up to `max_wait`; without one the wait doubles from `first_backoff`.
struct RetryPolicy {
    int max_attempts = 4; // attempts in all, the first included
    std::chrono::milliseconds first_backoff{std::chrono::seconds(1)};
    std::chrono::milliseconds max_wait{std::chrono::seconds(60)};
    // Polled during the pauses between attempts (SIGINT/SIGTERM): true ends the wait with an
    // ErrorKind::interrupted error instead of sleeping out a Retry-After of up to max_wait.
    std::function<bool()> cancelled;
};

class AcmeClient {
public:
    // Fetches and checks the directory. `http` must outlive the client.
    [[nodiscard]] static Result<AcmeClient>
    connect(http::Client& http, const std::string& directory_url, RetryPolicy policy = {});

    [[nodiscard]] const Directory& directory() const { return m_directory; }

    // Another client for the same directory and account over `http` (which must outlive it),
    // with a nonce of its own: one per worker thread, since a client is not thread-safe.
    [[nodiscard]] AcmeClient clone_over(http::Client& http) const {
        AcmeClient copy(http, m_directory);
        copy.m_key = m_key;
        copy.m_account_url = m_account_url;
        copy.m_retry = m_retry;
        copy.m_on_bad_nonce = m_on_bad_nonce;
        return copy;
    }

    void set_retry_policy(RetryPolicy policy) { m_retry = policy; }

    // Called before each transparent badNonce retry with the URL and the retry's number
    // (1-based), so that verbose output shows a CA that rejects nonces. Copied by clone_over;
    // called from the thread that posts.
    using BadNonceObserver = std::function<void(const std::string& url, int retry)>;
    void on_bad_nonce(BadNonceObserver observer) { m_on_bad_nonce = std::move(observer); }

    // The key that signs requests, and the account URL once known ("" before: requests then
    // carry the public key as "jwk"). `key` must outlive the client.
    void use_account(const crypto::PrivateKey& key, std::string account_url);
    [[nodiscard]] const std::string& account_url() const { return m_account_url; }
    [[nodiscard]] const crypto::PrivateKey& account_key() const { return *m_key; }

    // A signed POST with a fresh nonce. badNonce is retried transparently with the nonce from
    // the error response (bounded). Transient failures are retried within the RetryPolicy:
    // a POST-as-GET (empty payload) on any 5xx, reset or timeout; a POST that creates or
    // changes something only on 503 with Retry-After or when the server was never reached.
    // Any other HTTP status comes back as a Response; transport failures and 5xx answers that
    // outlast the retries are errors naming the URL.
    // `limit`: the largest response body accepted (document_limits.hpp).
    [[nodiscard]] Result<http::Response> post(const std::string& url, std::string_view payload,
                                              http::BodyLimit limit, std::string_view accept = {});
    // POST-as-GET (RFC 8555 §6.3).
    [[nodiscard]] Result<http::Response> post_as_get(const std::string& url, http::BodyLimit limit,
                                                     std::string_view accept = {}) {
        return post(url, "", limit, accept);
    }

    // A plain, unsigned GET: only for resources RFC 8555 §6.3 and RFC 9773 §4.1 allow that
    // way (directory, renewalInfo). Any HTTP status comes back as a Response, and nothing is
    // retried: renewalInfo is advisory (RFC 9773), and its caller falls back at once. The
    // directory is fetched (and retried) by connect().
    [[nodiscard]] Result<http::Response> get(const std::string& url, http::BodyLimit limit);

private:
    AcmeClient(http::Client& http, Directory directory)
        : m_http(&http), m_directory(std::move(directory)) {}
    [[nodiscard]] Result<std::string> take_nonce(http::Failure& failure);
    void remember_nonce(const http::Response& response);
    [[nodiscard]] Result<http::Response> send_once(const std::string& url, std::string_view payload,
                                                   http::BodyLimit limit, std::string_view accept,
                                                   http::Failure& failure);

    http::Client* m_http;
    Directory m_directory;
    const crypto::PrivateKey* m_key = nullptr;
    std::string m_account_url;
    std::string m_nonce; // the next nonce to use, from the last response
    RetryPolicy m_retry;
    BadNonceObserver m_on_bad_nonce;
};

// Turns a non-2xx response into an ErrorKind::acme error: "<context>: <problem>", followed by
// what the user can do about it (problem_hints.hpp); `terms_of_service` is the directory's.
[[nodiscard]] Result<void> expect_success(const http::Response& response,
                                          const std::string& context,
                                          std::string_view terms_of_service = {});

// The Location header of a response that created something (account, order), checked to be a
// URL the client can use; otherwise an ErrorKind::acme error "<context>: ...", the header's
// text escaped (common/printable.hpp).
[[nodiscard]] Result<std::string> location_url(const http::Response& response,
                                               const std::string& context);

} // namespace wildcert::acme
