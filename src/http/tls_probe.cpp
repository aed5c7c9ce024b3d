#include "http/tls_probe.hpp"

#include "common/printable.hpp"
#include "common/sigpipe_guard.hpp"
#include "common/stream_socket.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <memory>

namespace wildcert::http {
namespace {

struct SslCtxFree {
    void operator()(SSL_CTX* ctx) const { SSL_CTX_free(ctx); }
};
struct SslFree {
    void operator()(SSL* ssl) const { SSL_free(ssl); }
};
struct X509Free {
    void operator()(X509* cert) const { X509_free(cert); }
};

Error probe_error(const std::string& address, const std::string& what) {
    return make_error(ErrorKind::network, "TLS to " + common::printable(address) + ": " + what);
}

std::string openssl_reason() {
    const unsigned long code = ERR_get_error();
    ERR_clear_error();
    if (code == 0)
        return "the handshake failed";
    const char* reason = ERR_reason_error_string(code);
    return reason != nullptr ? std::string(reason) : "the handshake failed";
}

} // namespace

Result<std::string> served_leaf_der(const std::string& address, const std::string& server_name,
                                    std::chrono::steady_clock::time_point deadline) {
    // OpenSSL writes with write(2): a peer that hangs up mid-handshake must not kill us.
    const common::SigpipeBlocked no_sigpipe;
    WILDCERT_TRY(auto socket, common::StreamSocket::connect(address, deadline));
    const std::unique_ptr<SSL_CTX, SslCtxFree> ctx(SSL_CTX_new(TLS_client_method()));
    if (!ctx)
        return probe_error(address, "cannot set up TLS");
    // No trust decision: the point is to see what is served, whoever issued it.
    SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_NONE, nullptr);
    const std::unique_ptr<SSL, SslFree> ssl(SSL_new(ctx.get()));
    if (!ssl || SSL_set_fd(ssl.get(), socket.fd()) != 1)
        return probe_error(address, "cannot set up TLS");
    if (!server_name.empty() &&
        SSL_set_tlsext_host_name(ssl.get(), const_cast<char*>(server_name.c_str())) != 1)
        return probe_error(address,
                           "cannot send the server name " + common::printable(server_name));
    for (;;) {
        ERR_clear_error();
        const int done = SSL_connect(ssl.get());
        if (done == 1)
            break;
        const int why = SSL_get_error(ssl.get(), done);
        if (why != SSL_ERROR_WANT_READ && why != SSL_ERROR_WANT_WRITE)
            return probe_error(address, openssl_reason());
        if (!socket.wait(why == SSL_ERROR_WANT_WRITE, deadline))
            return probe_error(address, "no handshake before the deadline");
    }
    const std::unique_ptr<X509, X509Free> leaf(SSL_get1_peer_certificate(ssl.get()));
    if (!leaf)
        return probe_error(address, "the server sent no certificate");
    const int length = i2d_X509(leaf.get(), nullptr);
    if (length <= 0)
        return probe_error(address, "the server's certificate cannot be encoded");
    std::string der(static_cast<std::size_t>(length), '\0');
    auto* out = reinterpret_cast<unsigned char*>(der.data());
    if (i2d_X509(leaf.get(), &out) != length)
        return probe_error(address, "the server's certificate cannot be encoded");
    return der;
}

} // namespace wildcert::http
