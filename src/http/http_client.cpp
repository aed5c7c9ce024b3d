#include "http/http_client.hpp"

#include "http/tls_failure.hpp"
#include "http/tls_trust.hpp"

#include <httplib.h>

#include <algorithm>
#include <cctype>

namespace wildcert::http {
namespace {

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

std::string describe_failure(const httplib::Result& result, const httplib::Client& client,
                             TlsObservation seen, const Url& url, const std::string& text) {
    switch (result.error()) {
    case httplib::Error::SSLServerVerification: {
        // httplib's result is the one that decided; the hook's record adds the details, but
        // only those of that same error.
        const long decided = client.get_openssl_verify_result();
        if (seen.verify_result != decided) {
            TlsObservation names_only;
            names_only.seen_leaf = seen.seen_leaf;
            names_only.names = std::move(seen.names);
            seen = std::move(names_only);
            seen.verify_result = decided;
        }
        return describe_tls_failure(text, url.host, seen);
    }
    case httplib::Error::Connection:
        return text + ": cannot connect";
    case httplib::Error::ConnectionTimeout:
        return text + ": connection timed out";
    case httplib::Error::Read:
        return text + ": no complete response (connection closed or read timed out)";
    case httplib::Error::SSLConnection:
        return text + ": TLS handshake failed";
    default:
        return text + ": " + httplib::to_string(result.error());
    }
}

Failure classify(httplib::Error error) {
    switch (error) {
    case httplib::Error::Connection:
    case httplib::Error::ConnectionTimeout:
        return Failure::unreachable;
    case httplib::Error::Read:
    case httplib::Error::Write:
        return Failure::no_response;
    default:
        return Failure::other;
    }
}

} // namespace

std::optional<std::string> Response::header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
        if (key == name)
            return value;
    }
    return std::nullopt;
}

std::vector<std::string> Response::headers_named(std::string_view name) const {
    std::vector<std::string> values;
    for (const auto& [key, value] : headers) {
        if (key == name)
            values.push_back(value);
    }
    return values;
}

// One kept-alive connection per origin. `seen` is written by the trust store's hook, which
// the httplib client owns: declared first, it is destroyed after the client.
struct Connection {
    std::unique_ptr<TlsObservation> seen;
    std::unique_ptr<httplib::Client> client;
};

struct Client::Connections {
    std::mutex mutex;
    std::map<std::string, Connection> by_origin;
};

Client::Client(Options options)
    : m_options(std::move(options)), m_connections(std::make_unique<Connections>()) {}
Client::Client(Client&&) noexcept = default;
Client& Client::operator=(Client&&) noexcept = default;
Client::~Client() = default;

Result<Response> Client::send(const Request& request, Failure* failure) {
    if (failure != nullptr)
        *failure = Failure::none;
    WILDCERT_TRY(const Url url, parse_url(request.url));
    // RFC 8555 §6.1: HTTPS only. Checked per request, not only for the profile's directory:
    // order, authorization and certificate URLs come from the CA and may name other hosts.
    if (url.scheme == "http" && !url.is_loopback()) {
        if (failure != nullptr)
            *failure = Failure::other; // nothing was sent, and sending again will not help
        return make_error(ErrorKind::network,
                          request.url + ": refusing plain http:// to a host that is not loopback "
                                        "(localhost, 127.0.0.0/8, ::1); the CA must use https://");
    }

    std::lock_guard lock(m_connections->mutex);
    auto& connection = m_connections->by_origin[url.origin()];
    if (!connection.client) {
        auto seen = std::make_unique<TlsObservation>();
        auto client = std::make_unique<httplib::Client>(url.origin());
        client->set_connection_timeout(m_options.connect_timeout);
        client->set_read_timeout(m_options.read_timeout);
        client->set_write_timeout(m_options.read_timeout);
        client->set_keep_alive(true);
        // Headers and body go out in separate writes; with Nagle on, each request waits for
        // a delayed ACK (~40 ms on Linux).
        client->set_tcp_nodelay(true);
        client->set_url_encode(false);
        // httplib never follows redirects unless asked; a redirect is a response like any other.
        if (url.scheme == "https") {
            WILDCERT_TRY(auto store, make_trust_store(m_options.ca_bundle, url.host, seen.get()));
            // Always on: there is no switch to skip verification.
            client->enable_server_certificate_verification(true);
            client->set_ca_cert_store(store.release()); // httplib's SSL context owns it now
        }
        connection.seen = std::move(seen);
        connection.client = std::move(client);
    }
    *connection.seen = TlsObservation{};

    httplib::Request out;
    out.method = request.method;
    out.path = url.target;
    for (const auto& [name, value] : request.headers)
        out.headers.emplace(name, value);
    out.headers.emplace("User-Agent", m_options.user_agent);
    if (!request.body.empty() || request.method == "POST" || request.method == "PUT") {
        out.body = request.body;
        if (!request.content_type.empty())
            out.headers.emplace("Content-Type", request.content_type);
    }

    auto result = connection.client->send(out);
    if (!result) {
        const auto message =
            describe_failure(result, *connection.client, *connection.seen, url, request.url);
        if (failure != nullptr)
            *failure = classify(result.error());
        m_connections->by_origin.erase(url.origin()); // a broken connection is not reused
        return make_error(ErrorKind::network, message);
    }
    Response response;
    response.status = result->status;
    response.body = std::move(result->body);
    for (const auto& [name, value] : result->headers)
        response.headers.emplace_back(lower(name), value);
    return response;
}

} // namespace wildcert::http
