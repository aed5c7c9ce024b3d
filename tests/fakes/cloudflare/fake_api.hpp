#pragma once
// The rules of the Cloudflare API v4 DNS endpoints, as a fake keeps them (research notes
// shared/reference/cloudflare-route53-sigv4.md §1.13): authentication and token scopes, the
// JSON envelope, zone lookup by name, TXT records with duplicate, quoting, TTL and delete
// semantics, pagination, and 429 on demand. No HTTP here: fake_server.hpp serves it.

#include "dns/server_address.hpp"
#include "dns/update.hpp"

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace wildcert::fakes::cloudflare {

// What an API token may do (Cloudflare permission groups).
struct Scopes {
    bool zone_read = true; // Zone:Zone:Read, needed by GET /zones
    bool dns_read = true;  // Zone:DNS:Read
    bool dns_edit = true;  // Zone:DNS:Edit, implies DNS:Read
};

struct FakeZone {
    std::string id;
    std::string name; // lower case, no trailing dot
    std::string account_id;
    std::string status = "active";
};

struct FakeRecord {
    std::string id;
    std::string zone_id;
    std::string type;
    std::string name;    // full name, lower case, no trailing dot
    std::string content; // verbatim as sent
    std::int64_t ttl = 1;
};

// Where accepted changes are mirrored by RFC 2136, so real DNS sees them.
struct BindTarget {
    dns::ServerAddress server;
    dns::TsigKey key;
};

struct FakeRequest {
    std::string method;
    std::string target;                              // raw path and query, for the request log
    std::string path;                                // decoded, without the query
    std::multimap<std::string, std::string> query;   // decoded
    std::multimap<std::string, std::string> headers; // names lower case
    std::string body;
};

struct FakeResponse {
    int status = 200;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body; // JSON
};

inline constexpr std::string_view k_default_account_id = "0123456789abcdef0123456789abcdef";
inline constexpr std::string_view k_default_prefix = "/client/v4";

class FakeApi {
public:
    FakeApi();

    // Configuration. Safe to call at any time (every method takes the lock).
    void add_token(std::string token, Scopes scopes = {});
    void add_global_key(std::string email, std::string key);
    // Returns the new zone's id (32 hex digits).
    std::string add_zone(std::string name,
                         std::string account_id = std::string(k_default_account_id),
                         std::string status = "active");
    void set_prefix(std::string prefix);
    // Page size when the client sends no per_page. The real API uses 100; the fake's default is
    // 2 so that every client test crosses a page boundary.
    void set_records_per_page(int per_page);
    // 81058 "An identical record already exists." (now) or 81057 "The record already exists."
    void set_duplicate_code(std::int64_t code);
    void set_bind(BindTarget target);
    // Every n-th request (n > 0; 0 turns it off) is answered 429 with Retry-After.
    void throttle_every(int n, int retry_after_seconds = 1);
    // The next `count` requests are answered 429 with Retry-After.
    void throttle_next(int count, int retry_after_seconds = 1);
    // A hostile server: error messages repeat the credentials, to prove clients redact them.
    void echo_credentials_in_errors(bool on);

    // Adds a record directly (no auth, no BIND), e.g. to fill pages. Returns its id.
    std::string seed_record(const std::string& zone_id, const std::string& name,
                            const std::string& content, std::int64_t ttl = 120);

    [[nodiscard]] FakeResponse handle(const FakeRequest& request);

    // Inspection.
    [[nodiscard]] std::vector<FakeRecord> records() const;
    [[nodiscard]] std::vector<FakeRecord> records_named(std::string_view name) const;
    [[nodiscard]] int request_count() const;
    [[nodiscard]] int throttled_count() const;
    // "GET /client/v4/zones?name=..." per request, in order (no headers: they hold secrets).
    [[nodiscard]] std::vector<std::string> request_log() const;

private:
    struct Caller {
        Scopes scopes;
        std::string actor; // what error messages may name (never the secret)
    };
    struct ApiError {
        std::int64_t code = 0;
        std::string message;
        std::vector<ApiError> chain;
    };

    // The failure envelope; when echoing, every message carries the caller's credentials.
    [[nodiscard]] FakeResponse fail(int status, std::vector<ApiError> errors) const;
    [[nodiscard]] FakeResponse validation_error(const std::string& why) const;
    std::optional<FakeResponse> throttle();
    std::optional<FakeResponse> authenticate(const FakeRequest& request, Caller& caller) const;
    // Mirrors one change into BIND; an error text when BIND refused it.
    std::optional<std::string> mirror(const FakeZone& zone, const FakeRecord& record, bool add);
    FakeResponse route(const FakeRequest& request, const Caller& caller);
    FakeResponse list_zones(const FakeRequest& request, const Caller& caller) const;
    FakeResponse get_zone(const std::string& zone_id, const Caller& caller) const;
    FakeResponse list_records(const FakeZone& zone, const FakeRequest& request,
                              const Caller& caller) const;
    FakeResponse get_record(const FakeZone& zone, const std::string& record_id,
                            const Caller& caller) const;
    FakeResponse create_record(const FakeZone& zone, const FakeRequest& request,
                               const Caller& caller);
    FakeResponse delete_record(const FakeZone& zone, const std::string& record_id,
                               const Caller& caller);
    [[nodiscard]] const FakeZone* find_zone(std::string_view id) const;
    std::string new_id();

    mutable std::mutex m_mutex;
    std::mt19937_64 m_random;
    std::string m_prefix{k_default_prefix};
    std::map<std::string, Scopes> m_tokens;
    std::map<std::string, std::string> m_global_keys; // email -> key
    std::vector<FakeZone> m_zones;
    std::vector<FakeRecord> m_records;
    int m_records_per_page = 2;
    std::int64_t m_duplicate_code = 81058;
    std::optional<BindTarget> m_bind;
    int m_throttle_every = 0;
    int m_throttle_next = 0;
    int m_retry_after = 1;
    bool m_echo_credentials = false;
    std::string m_echo_text; // the current request's credentials, only when echoing
    int m_requests = 0;
    int m_throttled = 0;
    std::vector<std::string> m_log;
};

} // namespace wildcert::fakes::cloudflare
