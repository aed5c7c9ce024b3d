#include "http/http_client.hpp"

#include "common/ascii_case.hpp"
#include "common/host_lookup.hpp"
#include "common/printable.hpp"
#include "common/sigpipe_guard.hpp"
#include "http/connect_failure.hpp"
#include "http/deadline_watchdog.hpp"
#include "http/socket_bytes.hpp"
#include "http/tls_failure.hpp"
#include "http/tls_trust.hpp"

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <charconv>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace wildcert::http {
namespace {

// The most the status line and header lines of one response may take. ACME and provider
// responses send a few hundred bytes of headers; httplib itself has no limit on a line or on
// their number (it reads on until the deadline, holding every line).
constexpr std::uint64_t k_max_header_bytes = 64 * 1024;
// Counted on the socket, so a connection's TLS handshake (certificate chains of a few KiB to
// tens of KiB) and the one TLS record or read buffer past the headers come on top.
constexpr std::uint64_t k_header_wire_allowance = 64 * 1024;

std::string describe_failure(const httplib::Result& result, const httplib::Client& client,
                             TlsObservation seen, const Url& url, const std::string& text,
                             const TlsSettingNames& settings) {
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
        return describe_tls_failure(text, url.host, seen, settings);
    }
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

std::string format_timeout(std::chrono::milliseconds timeout) {
    if (timeout.count() % 1000 == 0)
        return std::to_string(timeout.count() / 1000) + "s";
    return std::to_string(timeout.count()) + "ms";
}

std::optional<std::uint64_t> content_length(const httplib::Response& response) {
    if (!response.has_header("Content-Length"))
        return std::nullopt;
    const auto text = response.get_header_value("Content-Length");
    std::uint64_t length = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), length);
    if (error != std::errc{} || end != text.data() + text.size())
        return std::nullopt; // httplib refuses the body itself
    return length;
}

// The connection's socket, as the watchdog may shut it down. A duplicate of httplib's
// descriptor: if httplib closes its own while the deadline passes, the number may already
// name another file, but the duplicate still names this socket.
class SocketHandle {
public:
    SocketHandle() = default;
    SocketHandle(const SocketHandle&) = delete;
    SocketHandle& operator=(const SocketHandle&) = delete;
    ~SocketHandle() { release(); }

    void adopt(int socket) {
        std::lock_guard lock(m_mutex);
        close_locked();
        m_fd = ::fcntl(socket, F_DUPFD_CLOEXEC, 0);
        m_read_before = 0; // a new connection: everything read on it is this exchange's
    }
    void shut_down() {
        std::lock_guard lock(m_mutex);
        if (m_fd >= 0)
            ::shutdown(m_fd, SHUT_RDWR);
    }
    void release() {
        std::lock_guard lock(m_mutex);
        close_locked();
    }
    // Starts counting the bytes read for a new exchange on this connection.
    void start_exchange() {
        std::lock_guard lock(m_mutex);
        m_read_before = m_fd >= 0 ? bytes_read_from(m_fd).value_or(0) : 0;
    }
    // Bytes read from the socket since start_exchange() (or the connection's start).
    [[nodiscard]] std::uint64_t read_this_exchange() {
        std::lock_guard lock(m_mutex);
        const auto now = m_fd >= 0 ? bytes_read_from(m_fd).value_or(0) : 0;
        return now > m_read_before ? now - m_read_before : 0;
    }

private:
    void close_locked() {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = -1;
    }

    std::mutex m_mutex;
    int m_fd = -1;
    std::uint64_t m_read_before = 0;
};

// A new httplib client for `url`'s origin that connects to `address` (numeric, already
// looked up) while TLS and the Host header still use the URL's host name.
struct OpenedConnection {
    std::unique_ptr<TlsObservation> seen;
    std::unique_ptr<SocketHandle> socket;
    std::unique_ptr<httplib::Client> client;
};

Result<OpenedConnection> open_connection(const Options& options, const Url& url,
                                         const std::string& address) {
    OpenedConnection opened;
    opened.seen = std::make_unique<TlsObservation>();
    opened.socket = std::make_unique<SocketHandle>();
    opened.client = std::make_unique<httplib::Client>(url.origin());
    auto& client = *opened.client;
    if (address != url.host)
        client.set_hostname_addr_map({{url.host, address}});
    // The total deadline bounds the exchange; the others cannot sensibly be longer.
    client.set_connection_timeout(std::min(options.connect_timeout, options.total_timeout));
    const auto read_timeout = std::min(options.read_timeout, options.total_timeout);
    client.set_read_timeout(read_timeout);
    client.set_write_timeout(read_timeout);
    client.set_keep_alive(true);
    // Headers and body go out in separate writes; with Nagle on, each request waits for
    // a delayed ACK (~40 ms on Linux).
    client.set_tcp_nodelay(true);
    client.set_url_encode(false);
    client.set_socket_options([handle = opened.socket.get()](socket_t fd) { handle->adopt(fd); });
    // httplib never follows redirects unless asked; a redirect is a response like any other.
    if (url.scheme == "https") {
        WILDCERT_TRY(auto store, make_trust_store(options.ca_bundle, url.host, opened.seen.get()));
        // Always on: there is no switch to skip verification.
        client.enable_server_certificate_verification(true);
        client.set_ca_cert_store(store.release()); // httplib's SSL context owns it now
    }
    return opened;
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

// One kept-alive connection per origin. `seen` is written by the trust store's hook and
// `socket` by the socket hook, both owned by the httplib client: declared first, they are
// destroyed after it.
struct Connection {
    // The origin host's addresses, looked up once (within the exchange's deadline) and
    // tried in turn when a connection cannot be made; `client` connects to the current one.
    std::vector<std::string> addresses;
    std::size_t address_index = 0;
    std::unique_ptr<TlsObservation> seen;
    std::unique_ptr<SocketHandle> socket;
    std::unique_ptr<httplib::Client> client;
};

struct Client::Connections {
    std::mutex mutex;
    std::map<std::string, Connection> by_origin;
    DeadlineWatchdog watchdog; // one exchange at a time: send() holds the mutex
};

Client::Client(Options options)
    : m_options(std::move(options)), m_connections(std::make_unique<Connections>()) {}
Client::Client(Client&&) noexcept = default;
Client& Client::operator=(Client&&) noexcept = default;
Client::~Client() {
    // Closing a TLS connection writes close_notify, to a peer that may be gone.
    const common::SigpipeBlocked no_sigpipe;
    m_connections.reset();
}

Result<Response> Client::send(const Request& request, Failure* failure) {
    if (failure != nullptr)
        *failure = Failure::none;
    WILDCERT_TRY(const Url url, parse_url(request.url));
    const auto shown_url = common::printable(request.url); // URLs come from the CA too
    // RFC 8555 §6.1: HTTPS only. Checked per request, not only for the profile's directory:
    // order, authorization and certificate URLs come from the CA and may name other hosts.
    if (url.scheme == "http" && !url.is_loopback() && !m_options.allow_plain_http) {
        if (failure != nullptr)
            *failure = Failure::other; // nothing was sent, and sending again will not help
        return make_error(ErrorKind::network,
                          shown_url + ": refusing plain http:// to a host that is not loopback "
                                      "(localhost, 127.0.0.0/8, ::1); the CA must use https://");
    }

    using Clock = DeadlineWatchdog::Clock;
    const auto deadline_text = [this] {
        return "the deadline for one HTTP exchange" +
               (m_options.total_timeout_setting.empty() ? std::string()
                                                        : ", " + m_options.total_timeout_setting);
    };
    const auto fail = [&](Failure why, std::string message) -> Error {
        if (failure != nullptr)
            *failure = why;
        m_connections->by_origin.erase(url.origin()); // a broken connection is not reused
        return make_error(ErrorKind::network, std::move(message));
    };

    std::lock_guard lock(m_connections->mutex);
    // From here: waiting for another thread's exchange is not this one's time.
    const auto deadline = Clock::now() + m_options.total_timeout;
    auto& connection = m_connections->by_origin[url.origin()];
    if (connection.addresses.empty()) {
        // httplib would call getaddrinfo itself, which no deadline can cut short.
        const auto lookup = common::lookup_host(url.host, m_options.total_timeout);
        if (lookup.outcome != common::HostLookup::Outcome::found) {
            auto text = shown_url + ": " +
                        common::describe_lookup_failure(url.host, lookup, m_options.total_timeout);
            if (lookup.outcome == common::HostLookup::Outcome::timed_out)
                text += " (" + deadline_text() + ")";
            // A name that does not exist will not exist on the next try either.
            return fail(lookup.outcome == common::HostLookup::Outcome::no_such_name
                            ? Failure::other
                            : Failure::unreachable,
                        std::move(text));
        }
        connection.addresses = lookup.addresses;
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
    // The body goes here, not into httplib's response, which would take any size.
    CappedBody body(request.limit);
    std::atomic<bool> headers_done{false};
    out.response_handler = [&body, &headers_done](const httplib::Response& response) {
        headers_done = true;
        const auto announced = content_length(response);
        return !announced || body.announce(*announced);
    };
    out.content_receiver = [&body](const char* data, std::size_t size, std::uint64_t,
                                   std::uint64_t) {
        return body.append({data, size});
    };

    auto& watchdog = m_connections->watchdog;
    const common::SigpipeBlocked
        no_sigpipe; // the handshake and the request write (sigpipe_guard.hpp)
    for (;;) {
        if (!connection.client) {
            WILDCERT_TRY(
                auto opened,
                open_connection(m_options, url, connection.addresses[connection.address_index]));
            connection.seen = std::move(opened.seen);
            connection.socket = std::move(opened.socket);
            connection.client = std::move(opened.client);
        }
        *connection.seen = TlsObservation{};
        auto* socket = connection.socket.get();
        socket->start_exchange();
        watchdog.arm(
            deadline, [socket] { socket->shut_down(); },
            [socket, &headers_done] {
                return !headers_done &&
                       socket->read_this_exchange() > k_max_header_bytes + k_header_wire_allowance;
            });
        auto result = connection.client->send(out);
        const auto fired = watchdog.disarm();
        if (result && fired == DeadlineWatchdog::Fired::no) {
            if (!connection.client->is_socket_open())
                connection.socket->release(); // httplib closed it (Connection: close)
            Response response;
            response.status = result->status;
            response.body = body.take();
            for (const auto& [name, value] : result->headers)
                response.headers.emplace_back(common::ascii_lower(name), value);
            return response;
        }
        // Nothing was sent over a connection that was never made: the next address may work.
        const bool not_connected = !result && (result.error() == httplib::Error::Connection ||
                                               result.error() == httplib::Error::ConnectionTimeout);
        if (not_connected && fired == DeadlineWatchdog::Fired::no &&
            connection.address_index + 1 < connection.addresses.size() && Clock::now() < deadline) {
            ++connection.address_index;
            connection.client.reset();
            connection.socket.reset();
            connection.seen.reset();
            continue;
        }

        auto why = result ? Failure::no_response : classify(result.error());
        std::string message;
        if (fired == DeadlineWatchdog::Fired::deadline) {
            message = shown_url + ": no complete response within " +
                      format_timeout(m_options.total_timeout) + " (" + deadline_text() + ")";
            why = Failure::no_response;
        } else if (fired == DeadlineWatchdog::Fired::condition) {
            message = shown_url + ": the response headers are larger than the " +
                      format_size(k_max_header_bytes) + " limit";
            why = Failure::other;
        } else if (body.exceeded()) {
            message = shown_url + ": " + body.describe_excess();
            why = Failure::other;
        } else if (result.error() == httplib::Error::Connection) {
            // Bounded like the connect itself; a refused port answers at once anyway.
            const auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
            message = shown_url + ": " +
                      diagnose_connect(connection.addresses[connection.address_index], url.port,
                                       std::clamp(left, std::chrono::milliseconds(1),
                                                  std::min(m_options.connect_timeout,
                                                           std::chrono::milliseconds(2000))));
        } else {
            message = describe_failure(result, *connection.client, *connection.seen, url, shown_url,
                                       m_options.tls_settings);
        }
        return fail(why, std::move(message));
    }
}

} // namespace wildcert::http
