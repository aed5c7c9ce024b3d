#pragma once
// A raw HTTP/1.1 server on 127.0.0.1 that answers every request the way a hostile server
// would: a body that never ends, or bytes paced to keep a connection open forever. Written
// on plain sockets, since an HTTP library would not send such answers. Used in-process by the
// unit tests and by the hostile_ca program for the e2e test.

#include <wildcert/result.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace wildcert::hostile_ca {

enum class HostileMode {
    huge_length,     // Content-Length: 4 GiB, then filler bytes as fast as they go
    endless_chunked, // Transfer-Encoding: chunked, 64 KiB chunks without end
    trickle_headers, // the status line, then one header byte per `pace`: headers never end
    trickle_body,    // complete headers, then one body byte per `pace`
    header_lines,    // the status line, then short header lines as fast as they go
    header_line,     // the status line, then one header line that never ends
    not_found,       // 404 with an HTML page, as a web server says of a wrong path
    html_page,       // 200 with an HTML page: a URL that is a web site, not a directory
    large_body,      // not hostile: a valid 200 whose body is `max_bytes` long, in 64 KiB
                     // parts `pace` apart
};

struct HostileOptions {
    HostileMode mode = HostileMode::huge_length;
    std::chrono::milliseconds pace{1000};
    // Each connection ends after this many bytes (0: never), so that a client without limits
    // fails a test instead of running it out of memory or time.
    std::uint64_t max_bytes = 0;
};

class HostileHttpServer {
public:
    explicit HostileHttpServer(HostileOptions options) : m_options(options) {}
    HostileHttpServer(const HostileHttpServer&) = delete;
    HostileHttpServer& operator=(const HostileHttpServer&) = delete;
    ~HostileHttpServer();

    [[nodiscard]] Result<void> start();
    [[nodiscard]] int port() const { return m_port; }
    // http://127.0.0.1:<port>/dir
    [[nodiscard]] std::string directory_url() const;
    // Connections accepted so far.
    [[nodiscard]] int connections() const { return m_connections.load(); }

private:
    void accept_loop();
    void serve(int fd);

    HostileOptions m_options;
    int m_listen_fd = -1;
    int m_port = 0;
    std::atomic<bool> m_stopping{false};
    std::atomic<int> m_connections{0};
    std::thread m_acceptor;
    std::mutex m_mutex;
    std::vector<std::thread> m_workers;
};

} // namespace wildcert::hostile_ca
