#pragma once
// The part of the PowerDNS Authoritative HTTP API (4.x, /api/v1) the provider uses: read a
// zone's TXT RRsets, and PATCH RRsets with REPLACE (the whole set) or DELETE. Authenticated with
// the X-API-Key header; errors carry the server's "error" text.

#include "http/http_client.hpp"

#include <wildcert/result.hpp>

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace wildcert::providers::powerdns {

// One TXT RRset as the API shows it: contents in presentation format ("\"value\"").
struct TxtRrset {
    std::chrono::seconds ttl{0};
    std::vector<std::string> contents;
    std::vector<std::string> disabled; // contents kept but not served; written back as they are
};

// A change to one RRset: REPLACE with `contents`, or DELETE when `contents` is empty.
struct RrsetChange {
    std::string name; // absolute, lower case
    std::chrono::seconds ttl{0};
    std::vector<std::string> contents;
    std::vector<std::string> disabled;
};

struct ApiOptions {
    std::string api_url;   // "http://127.0.0.1:8081", no trailing slash, no /api/v1
    std::string server_id; // "localhost" for a single server
    std::string api_key;
    http::Options http;
};

class Api {
public:
    explicit Api(ApiOptions options);

    // The TXT RRsets of `zone` (absolute), by owner name in lower case.
    [[nodiscard]] Result<std::map<std::string, TxtRrset>> txt_rrsets(const std::string& zone);
    // One PATCH for every change in `zone`: PowerDNS applies them together or not at all.
    [[nodiscard]] Result<void> patch(const std::string& zone,
                                     const std::vector<RrsetChange>& changes);

    // The request body of patch(), for tests.
    [[nodiscard]] static std::string patch_body(const std::vector<RrsetChange>& changes);

private:
    [[nodiscard]] std::string zone_url(const std::string& zone) const;
    [[nodiscard]] Result<http::Response> send(http::Request request, const std::string& what);

    ApiOptions m_options;
    http::Client m_client;
};

} // namespace wildcert::providers::powerdns
