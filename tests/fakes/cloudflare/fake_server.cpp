#include "fake_server.hpp"

#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>

namespace wildcert::fakes::cloudflare {
namespace {

std::string lower_name(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

FakeRequest to_fake_request(const httplib::Request& in) {
    FakeRequest out;
    out.method = in.method;
    out.target = in.target;
    out.path = in.path;
    for (const auto& [key, value] : in.params)
        out.query.emplace(key, value);
    for (const auto& [key, value] : in.headers)
        out.headers.emplace(lower_name(key), value);
    out.body = in.body;
    return out;
}

} // namespace

struct FakeCloudflare::Server {
    std::unique_ptr<httplib::Server> http;
};

FakeCloudflare::FakeCloudflare() = default;

FakeCloudflare::~FakeCloudflare() {
    stop();
}

Result<void> FakeCloudflare::start(const std::string& tls_cert, const std::string& tls_key) {
    if (m_server)
        return make_error(ErrorKind::io, "fake cloudflare: already started");
    m_server = std::make_unique<Server>();
    m_tls = !tls_cert.empty() && !tls_key.empty();
    if (m_tls) {
        auto tls = std::make_unique<httplib::SSLServer>(tls_cert.c_str(), tls_key.c_str());
        if (!tls->is_valid()) {
            m_server.reset();
            return make_error(ErrorKind::io,
                              "fake cloudflare: cannot load " + tls_cert + " and " + tls_key);
        }
        m_server->http = std::move(tls);
    } else {
        m_server->http = std::make_unique<httplib::Server>();
    }
    const auto serve = [this](const httplib::Request& request, httplib::Response& response) {
        const auto answer = m_api.handle(to_fake_request(request));
        response.status = answer.status;
        for (const auto& [name, value] : answer.headers)
            response.set_header(name, value);
        response.set_content(answer.body, "application/json");
        if (m_log_requests)
            std::fprintf(stderr, "fake-cloudflare: %s %s -> %d\n", request.method.c_str(),
                         request.target.c_str(), answer.status);
    };
    // Every path and method goes to FakeApi, which does its own routing (unknown routes get
    // Cloudflare's 7000/7003 answer, not httplib's bare 404).
    const std::string any = ".*";
    m_server->http->Get(any, serve);
    m_server->http->Post(any, serve);
    m_server->http->Put(any, serve);
    m_server->http->Patch(any, serve);
    m_server->http->Delete(any, serve);

    m_port = m_server->http->bind_to_any_port("127.0.0.1");
    if (m_port <= 0) {
        m_server.reset();
        return make_error(ErrorKind::io, "fake cloudflare: cannot bind 127.0.0.1");
    }
    // The socket listens already, so clients may connect before the thread runs.
    m_thread = std::thread([server = m_server.get()] { server->http->listen_after_bind(); });
    return {};
}

std::string FakeCloudflare::base_url() const {
    return (m_tls ? "https://127.0.0.1:" : "http://127.0.0.1:") + std::to_string(m_port) +
           std::string(k_default_prefix);
}

void FakeCloudflare::stop() {
    if (!m_server)
        return;
    // httplib's stop() does nothing until the accept loop runs; a test that stops right after
    // start() must not leave the thread serving forever.
    for (int i = 0; i < 5000 && !m_server->http->is_running(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    m_server->http->stop();
    if (m_thread.joinable())
        m_thread.join();
    m_server.reset();
}

} // namespace wildcert::fakes::cloudflare
