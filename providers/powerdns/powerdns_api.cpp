#include "providers/powerdns/powerdns_api.hpp"

#include "common/ascii_case.hpp"
#include "common/printable.hpp"
#include "json/json.hpp"

#include <algorithm>
#include <cctype>

namespace wildcert::providers::powerdns {
namespace {

// A zone document lists every RRset of the zone; large zones are a few MB.
constexpr std::size_t k_max_zone_bytes = 16 * 1024 * 1024;

// The API's zone id is the zone's name with its trailing dot; '/' is written "=2F" (PowerDNS
// API docs, "Zone"). Other characters of a DNS name need no escape in a path.
std::string zone_id(const std::string& zone) {
    std::string id;
    for (const char c : zone) {
        if (c == '/')
            id += "=2F";
        else
            id += c;
    }
    if (id.empty() || id.back() != '.')
        id += '.';
    return id;
}

// "HTTP 422: <the server's error>", the server's words escaped like all peer text.
std::string describe_refusal(const http::Response& response) {
    std::string detail;
    if (auto document = json::Document::parse(response.body); document.ok())
        detail = document->root().string_member("error").value_or("");
    if (detail.empty())
        detail = response.body;
    return "HTTP " + std::to_string(response.status) + ": " + common::printable(detail, 300);
}

void write_records(json::Writer& out, const std::vector<std::string>& contents, bool disabled) {
    for (const auto& content : contents) {
        out.begin_object().key("content").string(content).key("disabled").boolean(disabled);
        out.end_object();
    }
}

} // namespace

Api::Api(ApiOptions options) : m_options(std::move(options)), m_client(m_options.http) {}

std::string Api::zone_url(const std::string& zone) const {
    return m_options.api_url + "/api/v1/servers/" + m_options.server_id + "/zones/" + zone_id(zone);
}

Result<http::Response> Api::send(http::Request request, const std::string& what) {
    request.headers.emplace_back("X-API-Key", m_options.api_key);
    request.headers.emplace_back("Accept", "application/json");
    auto response = m_client.send(request);
    if (!response)
        return response.error().with_context(what);
    if (response->status >= 200 && response->status < 300)
        return response;
    std::string message = what + ": " + describe_refusal(*response);
    if (response->status == 401 || response->status == 403)
        message += "; the API key was refused (api_key, or WILDCERT_POWERDNS_API_KEY; the "
                   "server's is api-key in pdns.conf)";
    else if (response->status == 404)
        message += "; no such zone or server on " + m_options.api_url + " (server_id \"" +
                   m_options.server_id + "\"; `pdnsutil list-all-zones` lists the zones)";
    // 422 is a change the server refused as a whole: nothing of it was applied.
    return make_error(response->status == 422 ? ErrorKind::refused : ErrorKind::provider,
                      std::move(message));
}

Result<std::map<std::string, TxtRrset>> Api::txt_rrsets(const std::string& zone) {
    auto request = http::make_request("GET", zone_url(zone));
    request.limit = {k_max_zone_bytes, "a PowerDNS zone document"};
    WILDCERT_TRY(const auto response, send(std::move(request), "GET zone " + zone_id(zone)));
    WILDCERT_TRY(const auto document, json::Document::parse(response.body));
    const auto root = document.root();
    if (!root.is_object() || !root.member("rrsets"))
        return make_error(ErrorKind::provider,
                          "GET zone " + zone_id(zone) + ": the answer has no \"rrsets\"");
    std::map<std::string, TxtRrset> sets;
    for (const auto& rrset : root.array_member("rrsets")) {
        if (rrset.string_member("type").value_or("") != "TXT")
            continue;
        const auto name = rrset.string_member("name");
        if (!name)
            continue;
        auto& set = sets[common::ascii_lower(*name)];
        set.ttl = std::chrono::seconds(rrset.int_member("ttl").value_or(0));
        for (const auto& record : rrset.array_member("records")) {
            auto content = record.string_member("content");
            if (!content)
                continue;
            auto& into =
                record.bool_member("disabled").value_or(false) ? set.disabled : set.contents;
            into.push_back(std::move(*content));
        }
    }
    return sets;
}

std::string Api::patch_body(const std::vector<RrsetChange>& changes) {
    json::Writer out;
    out.begin_object().key("rrsets").begin_array();
    for (const auto& change : changes) {
        const bool remove = change.contents.empty() && change.disabled.empty();
        out.begin_object().key("name").string(change.name).key("type").string("TXT");
        if (remove) {
            out.key("changetype").string("DELETE");
        } else {
            out.key("ttl").integer(change.ttl.count()).key("changetype").string("REPLACE");
            out.key("records").begin_array();
            write_records(out, change.contents, false);
            write_records(out, change.disabled, true);
            out.end_array();
        }
        out.end_object();
    }
    out.end_array().end_object();
    return out.str();
}

Result<void> Api::patch(const std::string& zone, const std::vector<RrsetChange>& changes) {
    if (changes.empty())
        return {};
    auto request = http::make_request("PATCH", zone_url(zone));
    request.content_type = "application/json";
    request.body = patch_body(changes);
    WILDCERT_TRY(const auto response, send(std::move(request), "PATCH zone " + zone_id(zone)));
    (void)response;
    return {};
}

} // namespace wildcert::providers::powerdns
