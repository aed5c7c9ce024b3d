#pragma once
// The bound on what a peer may make the HTTP client hold in memory. httplib's client reads a
// body of any size (its payload limit is a server setting): a directory announcing 4 GiB, or
// a chunked body that never ends, would grow without bound. Every response is collected
// through a CappedBody instead, which counts both the announced length and the bytes that
// arrive, so Content-Length, chunked and close-delimited bodies are bounded alike.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace wildcert::http {

// The most a response body may hold, and what it is ("an ACME order"), for the message.
struct BodyLimit {
    std::size_t max_bytes = 256 * 1024;
    std::string_view what = "a response";
};

// "256 KiB", "4 MiB", "100 bytes": a limit as messages show it.
[[nodiscard]] std::string format_size(std::uint64_t bytes);

class CappedBody {
public:
    explicit CappedBody(BodyLimit limit) : m_limit(limit) {}

    // The peer announced `length` bytes (Content-Length): false when they cannot fit.
    bool announce(std::uint64_t length);
    // Appends `data`; false, keeping nothing of it, once the body would pass the limit. The
    // caller then stops reading.
    bool append(std::string_view data);

    [[nodiscard]] bool exceeded() const { return m_exceeded; }
    // "the response is larger than the 256 KiB limit for an ACME order (Content-Length
    // 4294967296)"; only meaningful once exceeded().
    [[nodiscard]] std::string describe_excess() const;
    [[nodiscard]] std::string take() { return std::move(m_body); }

private:
    BodyLimit m_limit;
    std::string m_body;
    bool m_exceeded = false;
    std::uint64_t m_announced = 0; // the Content-Length that did not fit; 0: none
};

} // namespace wildcert::http
