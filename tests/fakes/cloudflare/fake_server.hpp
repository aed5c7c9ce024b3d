#pragma once
// The Cloudflare fake on loopback: FakeApi served over plain HTTP, or HTTPS with a certificate
// of the test's own CA, on 127.0.0.1, on a port the OS picks. Used in-process by the unit tests and
// by fake-cloudflare for the e2e tests.

#include "fake_api.hpp"

#include <wildcert/result.hpp>

#include <atomic>
#include <memory>
#include <string>
#include <thread>

namespace wildcert::fakes::cloudflare {

class FakeCloudflare {
public:
    FakeCloudflare();
    FakeCloudflare(const FakeCloudflare&) = delete;
    FakeCloudflare& operator=(const FakeCloudflare&) = delete;
    ~FakeCloudflare(); // stops the server

    // Configuration and inspection; valid before, during and after serving.
    [[nodiscard]] FakeApi& api() { return m_api; }

    // Binds 127.0.0.1 on a free port and serves from a background thread: over TLS with the
    // PEM files `tls_cert` and `tls_key` when both are given.
    [[nodiscard]] Result<void> start(const std::string& tls_cert = {},
                                     const std::string& tls_key = {});
    [[nodiscard]] int port() const { return m_port; }
    // "http(s)://127.0.0.1:PORT/client/v4", what a client's api_url is set to.
    [[nodiscard]] std::string base_url() const;
    void stop();
    // One line per request on stderr ("fake-cloudflare: GET /client/v4/zones?... -> 200"),
    // never with headers: they carry the credentials.
    void log_requests(bool on) { m_log_requests = on; }

    struct Server;

private:
    FakeApi m_api;
    std::unique_ptr<Server> m_server;
    std::thread m_thread;
    int m_port = 0;
    bool m_tls = false;
    std::atomic<bool> m_log_requests{false};
};

} // namespace wildcert::fakes::cloudflare
