#include "providers/route53/api.hpp"

#include "common/cancellable_wait.hpp"
#include "common/printable.hpp"

#include "providers/route53/aws_error.hpp"
#include "providers/route53/xml.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace wildcert::providers::route53 {
namespace {

// API version path prefix (Route 53 API reference, 2013-04-01).
constexpr std::string_view k_version = "/2013-04-01";
constexpr std::string_view k_namespace = "https://route53.amazonaws.com/doc/2013-04-01/";
constexpr std::string_view k_service = "route53";
// An error body is quoted in messages only this far, and only its printable characters.
constexpr std::size_t k_max_quoted_body = 200;

std::string strip_prefix(std::string id, std::string_view prefix) {
    if (id.starts_with(prefix))
        id.erase(0, prefix.size());
    return id;
}

std::string printable_excerpt(std::string_view body) {
    return common::printable(body, k_max_quoted_body);
}

Result<xml::Element> parse_response(const std::string& body, std::string_view root_name,
                                    const std::string& what) {
    auto document = xml::parse(body);
    if (!document)
        return document.error().with_context(what);
    if (document->name != root_name)
        return make_error(ErrorKind::provider, what + ": expected <" + std::string(root_name) +
                                                   ">, got <" + document->name + ">");
    return document;
}

std::string_view action_name(ChangeAction action) {
    switch (action) {
    case ChangeAction::create:
        return "CREATE";
    case ChangeAction::upsert:
        return "UPSERT";
    case ChangeAction::remove:
        return "DELETE";
    }
    return "UPSERT";
}

std::string host_header(const http::Url& url) {
    std::string host = url.host.find(':') != std::string::npos ? "[" + url.host + "]" : url.host;
    const bool default_port =
        (url.scheme == "https" && url.port == 443) || (url.scheme == "http" && url.port == 80);
    if (!default_port)
        host += ":" + std::to_string(url.port);
    return host;
}

} // namespace

Hooks Hooks::system(std::function<bool()> cancelled) {
    return Hooks{
        [] { return std::chrono::system_clock::now(); },
        [cancelled](std::chrono::milliseconds pause) { (void)common::wait_for(pause, cancelled); },
        cancelled};
}

std::string normalize_name(std::string_view name) {
    std::string out;
    for (std::size_t i = 0; i < name.size(); ++i) {
        // Route 53 returns "*" and other characters outside [a-z0-9-_.] as "\052" (octal).
        if (name[i] == '\\' && i + 3 < name.size()) {
            const auto digits = name.substr(i + 1, 3);
            if (std::all_of(digits.begin(), digits.end(),
                            [](char c) { return c >= '0' && c <= '7'; })) {
                out += static_cast<char>((digits[0] - '0') * 64 + (digits[1] - '0') * 8 +
                                         (digits[2] - '0'));
                i += 3;
                continue;
            }
        }
        out += static_cast<char>(std::tolower(static_cast<unsigned char>(name[i])));
    }
    if (out.empty() || out.back() != '.')
        out += '.';
    return out;
}

std::string change_batch_xml(const std::vector<RecordChange>& changes) {
    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                      "<ChangeResourceRecordSetsRequest xmlns=\"" +
                      std::string(k_namespace) +
                      "\"><ChangeBatch><Comment>wildcert dns-01</Comment><Changes>";
    for (const auto& change : changes) {
        out += "<Change><Action>" + std::string(action_name(change.action)) +
               "</Action><ResourceRecordSet><Name>" + xml::escape(change.set.name) +
               "</Name><Type>TXT</Type><TTL>" + std::to_string(change.set.ttl.count()) +
               "</TTL><ResourceRecords>";
        for (const auto& value : change.set.values)
            out += "<ResourceRecord><Value>" + xml::escape(value) + "</Value></ResourceRecord>";
        out += "</ResourceRecords></ResourceRecordSet></Change>";
    }
    out += "</Changes></ChangeBatch></ChangeResourceRecordSetsRequest>";
    return out;
}

Result<Api> Api::create(ApiOptions options, Hooks hooks) {
    auto url = http::parse_url(options.api_url);
    if (!url)
        return url.error();
    if (url->target.find('?') != std::string::npos)
        return make_error(ErrorKind::profile, "api_url must not have a query");
    std::string base_path = url->target;
    while (!base_path.empty() && base_path.back() == '/')
        base_path.pop_back();
    auto host = host_header(url.value());
    return Api(std::move(options), std::move(hooks), url->origin() + base_path, std::move(host));
}

Api::Api(ApiOptions options, Hooks hooks, std::string base_url, std::string host)
    : m_options(std::move(options)), m_hooks(std::move(hooks)), m_base_url(std::move(base_url)),
      m_host(std::move(host)), m_client(m_options.http) {}

http::Request Api::signed_request(const std::string& method, const std::string& target,
                                  const std::string& body) const {
    const auto amz_date = sigv4::format_amz_date(m_hooks.now());
    // The signature covers the path as sent, including any path in api_url.
    const auto wire_target = http::parse_url(m_base_url + target);
    sigv4::Request to_sign{method,
                           wire_target ? wire_target->target : target,
                           {{"Host", m_host}, {"X-Amz-Date", amz_date}},
                           body};
    if (!m_options.credentials.session_token.empty())
        to_sign.headers.emplace_back("X-Amz-Security-Token", m_options.credentials.session_token);
    http::Request request = http::make_request(method, m_base_url + target);
    if (method == "POST") {
        // Signed, and sent by http::Client from content_type: the two must be the same text.
        request.content_type = "application/xml";
        to_sign.headers.emplace_back("Content-Type", request.content_type);
        request.body = body;
    }
    const auto signature =
        sigv4::sign(to_sign, m_options.credentials.access_key_id,
                    m_options.credentials.secret_access_key, amz_date, m_options.region, k_service);
    for (const auto& header : to_sign.headers) {
        if (header.first != "Content-Type")
            request.headers.push_back(header);
    }
    request.headers.emplace_back("Authorization", signature.authorization);
    return request;
}

Result<std::string> Api::call(const std::string& method, const std::string& target,
                              const std::string& body, const std::string& what) {
    auto backoff = m_options.first_backoff;
    for (int attempt = 1;; ++attempt) {
        const auto request = signed_request(method, target, body);
        auto response = m_client.send(request);
        if (!response)
            return response.error().with_context(what);
        if (response->status >= 200 && response->status < 300)
            return std::move(response->body);

        const auto error = parse_aws_error(response->body);
        if (error && is_retryable(*error) && attempt < m_options.max_attempts) {
            m_hooks.sleep(backoff);
            if (m_hooks.stopped())
                return make_error(ErrorKind::interrupted,
                                  what + ": interrupted while waiting to retry " + error->code);
            backoff = std::min(backoff * 2, m_options.max_backoff);
            continue;
        }
        std::string message = what + ": HTTP " + std::to_string(response->status) + ": ";
        if (!error) {
            message += printable_excerpt(response->body);
            return make_error(ErrorKind::provider, message);
        }
        // The API's words: escaped like all peer text (common/printable.hpp).
        message += common::printable(error->code) + ": " + common::printable(error->message);
        if (is_retryable(*error))
            message += " (still refused after " + std::to_string(attempt) + " attempts)";
        if (const auto hint = hint_for(error->code); !hint.empty())
            message += "; " + std::string(hint);
        if (!error->request_id.empty())
            message += " (request id " + common::printable(error->request_id) + ")";
        return make_error(ErrorKind::provider, message);
    }
}

Result<HostedZonePage> Api::list_hosted_zones_by_name(const std::string& dns_name,
                                                      const std::string& zone_id) {
    std::string target =
        std::string(k_version) + "/hostedzonesbyname?dnsname=" + sigv4::uri_encode(dns_name);
    if (!zone_id.empty())
        target += "&hostedzoneid=" + sigv4::uri_encode(zone_id);
    target += "&maxitems=100";
    const std::string what = "ListHostedZonesByName " + dns_name;
    WILDCERT_TRY(const auto body, call("GET", target, "", what));
    WILDCERT_TRY(const auto root, parse_response(body, "ListHostedZonesByNameResponse", what));

    HostedZonePage page;
    if (const xml::Element* zones = root.child("HostedZones")) {
        for (const xml::Element* zone : zones->children_named("HostedZone")) {
            HostedZone found{strip_prefix(zone->child_text("Id"), "/hostedzone/"),
                             normalize_name(zone->child_text("Name")), false};
            if (const xml::Element* config = zone->child("Config"))
                found.private_zone = config->child_text("PrivateZone") == "true";
            page.zones.push_back(std::move(found));
        }
    }
    page.truncated = root.child_text("IsTruncated") == "true";
    page.next_dns_name = root.child_text("NextDNSName");
    page.next_zone_id = strip_prefix(root.child_text("NextHostedZoneId"), "/hostedzone/");
    return page;
}

Result<std::optional<TxtSet>> Api::txt_set(const std::string& zone_id, const std::string& fqdn) {
    const std::string target = std::string(k_version) + "/hostedzone/" +
                               sigv4::uri_encode(zone_id) +
                               "/rrset?name=" + sigv4::uri_encode(fqdn) + "&type=TXT&maxitems=1";
    const std::string what = "ListResourceRecordSets " + fqdn + " in zone " + zone_id;
    WILDCERT_TRY(const auto body, call("GET", target, "", what));
    WILDCERT_TRY(const auto root, parse_response(body, "ListResourceRecordSetsResponse", what));

    const xml::Element* sets = root.child("ResourceRecordSets");
    const xml::Element* first = sets != nullptr ? sets->child("ResourceRecordSet") : nullptr;
    if (first == nullptr)
        return std::optional<TxtSet>();
    TxtSet set;
    set.name = normalize_name(first->child_text("Name"));
    if (set.name != normalize_name(fqdn) || first->child_text("Type") != "TXT")
        return std::optional<TxtSet>();
    const auto ttl_text = first->child_text("TTL");
    std::int64_t ttl = 0;
    const auto [end, ec] = std::from_chars(ttl_text.data(), ttl_text.data() + ttl_text.size(), ttl);
    if (ec != std::errc() || end != ttl_text.data() + ttl_text.size() || ttl < 0)
        return make_error(ErrorKind::provider, what + ": TXT set without a valid <TTL> (an alias "
                                                      "or routing-policy record is not supported)");
    set.ttl = std::chrono::seconds(ttl);
    if (const xml::Element* records = first->child("ResourceRecords")) {
        for (const xml::Element* record : records->children_named("ResourceRecord"))
            set.values.push_back(record->child_text("Value"));
    }
    return std::optional<TxtSet>(std::move(set));
}

Result<std::string> Api::change(const std::string& zone_id,
                                const std::vector<RecordChange>& changes) {
    const std::string target =
        std::string(k_version) + "/hostedzone/" + sigv4::uri_encode(zone_id) + "/rrset/";
    const std::string what = "ChangeResourceRecordSets in zone " + zone_id;
    WILDCERT_TRY(const auto body, call("POST", target, change_batch_xml(changes), what));
    WILDCERT_TRY(const auto root, parse_response(body, "ChangeResourceRecordSetsResponse", what));
    const xml::Element* info = root.child("ChangeInfo");
    auto id = strip_prefix(info != nullptr ? info->child_text("Id") : "", "/change/");
    if (id.empty())
        return make_error(ErrorKind::provider, what + ": no ChangeInfo/Id in the answer");
    return id;
}

Result<std::string> Api::change_status(const std::string& change_id) {
    const std::string target = std::string(k_version) + "/change/" + sigv4::uri_encode(change_id);
    const std::string what = "GetChange " + change_id;
    WILDCERT_TRY(const auto body, call("GET", target, "", what));
    WILDCERT_TRY(const auto root, parse_response(body, "GetChangeResponse", what));
    const xml::Element* info = root.child("ChangeInfo");
    auto status = info != nullptr ? info->child_text("Status") : std::string();
    if (status != "PENDING" && status != "INSYNC")
        return make_error(ErrorKind::provider,
                          what + ": unexpected status \"" + printable_excerpt(status) + "\"");
    return status;
}

} // namespace wildcert::providers::route53
