#pragma once
// HTTPS client for the ACME server and provider APIs. cpp-httplib stays behind this header.

#include "http/capped_body.hpp"
#include "http/tls_failure.hpp"
#include "http/url.hpp"

#include <wildcert/result.hpp>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace wildcert::http {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct Request {
    std::string method = "GET"; // GET, HEAD, POST, PUT, DELETE
    std::string url;
    Headers headers;          // besides Content-Type
    std::string content_type; // for bodies
    std::string body;
    // The response body may not be larger (capped_body.hpp): a few hundred KB for the JSON
    // documents of ACME and the provider APIs, more only where the caller says so.
    BodyLimit limit;
};

[[nodiscard]] inline Request make_request(std::string method, std::string url) {
    Request request;
    request.method = std::move(method);
    request.url = std::move(url);
    return request;
}

struct Response {
    int status = 0;
    Headers headers; // names in lower case, in the order received (repeated names kept)
    std::string body;

    // The first header with this (lower-case) name.
    [[nodiscard]] std::optional<std::string> header(std::string_view name) const;
    // Every header line with this name, e.g. several Link headers.
    [[nodiscard]] std::vector<std::string> headers_named(std::string_view name) const;
};

struct Options {
    // Extra trust anchors added to the system store (never replacing it).
    std::optional<std::filesystem::path> ca_bundle;
    std::chrono::milliseconds connect_timeout{std::chrono::seconds(10)};
    std::chrono::milliseconds read_timeout{std::chrono::seconds(30)};
    // The whole exchange, from connecting to the last byte of the body, ends by then however
    // the peer paces its bytes (deadline_watchdog.hpp). Also bounds the other two timeouts.
    std::chrono::milliseconds total_timeout{std::chrono::seconds(30)};
    // The setting that changes total_timeout, named in the error ("acme.request_timeout").
    std::string total_timeout_setting;
    std::string user_agent = "wildcert";
    // The settings TLS failure messages name as the fix (tls_failure.hpp).
    TlsSettingNames tls_settings;
    // Plain http:// to hosts that are not loopback. Never for a CA (RFC 8555 §6.1); for a DNS
    // API that has no TLS of its own (PowerDNS's webserver), when the profile asks for it.
    bool allow_plain_http = false;
};

// How a request failed before a complete response arrived. Callers decide from this whether a
// retry is safe: a request that never reached the server can always be sent again.
enum class Failure {
    none,
    unreachable, // no connection was made: the request was never sent
    no_response, // sent (maybe in part), but no complete response (also: past the deadline)
    other,       // TLS verification, a body over its limit: retrying will not help
};

class Client {
public:
    explicit Client(Options options);
    Client(Client&&) noexcept;
    Client& operator=(Client&&) noexcept;
    ~Client();

    // Sends one request. Connections are kept alive per origin. TLS certificates are always
    // verified; plain http:// is refused except to loopback. Transport failures, a body over
    // request.limit and an exchange past Options::total_timeout are ErrorKind::network errors
    // naming the URL; any HTTP status is a successful Response.
    // `failure`, when given, is set to what went wrong (Failure::none on success).
    [[nodiscard]] Result<Response> send(const Request& request, Failure* failure = nullptr);

    struct Connections;

private:
    Options m_options;
    std::unique_ptr<Connections> m_connections;
};

} // namespace wildcert::http
