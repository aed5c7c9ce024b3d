#include "http/http_client.hpp"

#include <httplib.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <algorithm>
#include <cctype>

namespace wildcert::http {
namespace {

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

struct X509StoreDeleter {
    void operator()(X509_STORE* store) const { X509_STORE_free(store); }
};
using X509StorePtr = std::unique_ptr<X509_STORE, X509StoreDeleter>;

// The system trust store plus the profile's bundle: a private CA must not make public CAs
// untrusted, and the reverse.
Result<X509StorePtr> make_trust_store(const std::optional<std::filesystem::path>& ca_bundle) {
    X509StorePtr store(X509_STORE_new());
    if (!store)
        return make_error(ErrorKind::network, "cannot allocate a TLS trust store");
    X509_STORE_set_default_paths(store.get());
    if (ca_bundle) {
        if (X509_STORE_load_locations(store.get(), ca_bundle->c_str(), nullptr) != 1) {
            return make_error(ErrorKind::io, "ca_bundle " + ca_bundle->string() +
                                                 ": cannot load PEM certificates from it");
        }
    }
    return store;
}

std::string describe_failure(const httplib::Result& result, const httplib::Client& client,
                             const std::string& url) {
    switch (result.error()) {
    case httplib::Error::SSLServerVerification:
        return url + ": the server's TLS certificate did not verify (OpenSSL verify result " +
               std::to_string(client.get_openssl_verify_result()) +
               "); for a private CA set acme.ca_bundle";
    case httplib::Error::Connection:
        return url + ": cannot connect";
    case httplib::Error::ConnectionTimeout:
        return url + ": connection timed out";
    case httplib::Error::Read:
        return url + ": no complete response (connection closed or read timed out)";
    case httplib::Error::SSLConnection:
        return url + ": TLS handshake failed";
    default:
        return url + ": " + httplib::to_string(result.error());
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

struct Client::Connections {
    std::mutex mutex;
    std::map<std::string, std::unique_ptr<httplib::Client>> by_origin;
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
    if (url.scheme == "http" && !url.is_loopback()) {
        return make_error(ErrorKind::usage, request.url +
                                                ": plain http:// is only allowed to loopback; "
                                                "use https://");
    }

    std::lock_guard lock(m_connections->mutex);
    auto& connection = m_connections->by_origin[url.origin()];
    if (!connection) {
        auto client = std::make_unique<httplib::Client>(url.origin());
        client->set_connection_timeout(m_options.connect_timeout);
        client->set_read_timeout(m_options.read_timeout);
        client->set_write_timeout(m_options.read_timeout);
        client->set_keep_alive(true);
        // Headers and body go out in separate writes; with Nagle on, each request waits for
        // a delayed ACK (~40 ms on Linux).
        client->set_tcp_nodelay(true);
        client->set_url_encode(false);
        if (url.scheme == "https") {
            WILDCERT_TRY(auto store, make_trust_store(m_options.ca_bundle));
            client->enable_server_certificate_verification(true);
            client->set_ca_cert_store(store.release()); // httplib's SSL context owns it now
        }
        connection = std::move(client);
    }

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

    auto result = connection->send(out);
    if (!result) {
        const auto message = describe_failure(result, *connection, request.url);
        if (failure != nullptr)
            *failure = classify(result.error());
        connection.reset(); // a broken connection is not reused
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
