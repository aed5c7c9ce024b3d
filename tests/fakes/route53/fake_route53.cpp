#include "fake_route53.hpp"

#include "sigv4_verify.hpp"

#include "providers/route53/sigv4.hpp"
#include "providers/route53/xml.hpp"

#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <map>
#include <tuple>

namespace wildcert::fakes::route53 {
namespace xml = providers::route53::xml;
namespace {

constexpr std::string_view k_namespace = "https://route53.amazonaws.com/doc/2013-04-01/";
constexpr int k_max_zones_per_page = 100; // ListHostedZones*: "up to 100 items"
constexpr int k_max_sets_per_page = 300;  // ListResourceRecordSets: "up to 300"

std::string open_root(std::string_view name) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<" + std::string(name) + " xmlns=\"" +
           std::string(k_namespace) + "\">";
}

std::string tag(std::string_view name, std::string_view text) {
    return "<" + std::string(name) + ">" + xml::escape(text) + "</" + std::string(name) + ">";
}

int hex_value(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

std::string percent_decode(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
            hex_value(text[i + 2]) >= 0) {
            out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

// The query of the raw target, decoded the way AWS does ('+' stays '+').
std::map<std::string, std::string> query_of(const std::string& target) {
    std::map<std::string, std::string> params;
    const auto question = target.find('?');
    if (question == std::string::npos)
        return params;
    std::string_view query(target);
    query.remove_prefix(question + 1);
    while (!query.empty()) {
        const auto end = std::min(query.find('&'), query.size());
        const auto param = query.substr(0, end);
        query.remove_prefix(std::min(end + 1, query.size()));
        const auto equals = param.find('=');
        params.emplace(percent_decode(param.substr(0, equals)),
                       equals == std::string_view::npos ? ""
                                                        : percent_decode(param.substr(equals + 1)));
    }
    return params;
}

std::string iso_time(std::chrono::system_clock::time_point time) {
    const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[40];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S.000Z", &utc);
    return text;
}

std::string zone_xml(const Zone& zone) {
    return "<HostedZone>" + tag("Id", "/hostedzone/" + zone.id) +
           tag("Name", escape_name(zone.name)) + tag("CallerReference", "fake-" + zone.id) +
           "<Config>" + tag("PrivateZone", zone.private_zone ? "true" : "false") + "</Config>" +
           tag("ResourceRecordSetCount", std::to_string(zone.sets.size())) + "</HostedZone>";
}

std::string set_xml(const RecordSet& set) {
    std::string out = "<ResourceRecordSet>" + tag("Name", escape_name(set.name)) +
                      tag("Type", set.type) + tag("TTL", std::to_string(set.ttl)) +
                      "<ResourceRecords>";
    for (const auto& value : set.values)
        out += "<ResourceRecord>" + tag("Value", value) + "</ResourceRecord>";
    return out + "</ResourceRecords></ResourceRecordSet>";
}

int parse_max_items(const std::map<std::string, std::string>& query, int fallback, int cap) {
    const auto found = query.find("maxitems");
    if (found == query.end())
        return fallback;
    try {
        return std::clamp(std::stoi(found->second), 1, cap);
    } catch (const std::exception&) {
        return -1;
    }
}

struct PendingChange {
    std::string status = "PENDING";
    int polls = 0;
    std::chrono::system_clock::time_point submitted;
};

} // namespace

struct FakeRoute53::Impl {
    FakeOptions options;
    httplib::Server server;
    std::thread thread;
    int port = 0;

    mutable std::mutex mutex;
    ZoneStore store;
    std::map<std::string, PendingChange> pending; // by change id
    std::vector<std::vector<Change>> accepted;
    int next_change = 1;
    int next_request_id = 1;
    int requests = 0;
    int throttle_next = 0;
    int prior_request_next = 0;
    int get_change_calls = 0;
    int throttled = 0;

    explicit Impl(FakeOptions fake_options) : options(std::move(fake_options)) {
        // Without it each answer waits for a delayed ACK (~40 ms on Linux).
        server.set_tcp_nodelay(true);
        routes();
    }

    void send_xml(httplib::Response& res, int status, const std::string& body) {
        char request_id[64];
        std::snprintf(request_id, sizeof request_id, "fake-%08d-0000-4000-8000-000000000000",
                      next_request_id++);
        res.status = status;
        res.set_header("x-amzn-RequestId", request_id);
        res.set_content(body, "text/xml");
    }

    void send_error(httplib::Response& res, int status, const std::string& code,
                    const std::string& message) {
        send_xml(res, status,
                 open_root("ErrorResponse") + "<Error>" +
                     tag("Type", status >= 500 ? "Receiver" : "Sender") + tag("Code", code) +
                     tag("Message", message) + "</Error>" +
                     tag("RequestId", "fake-request-" + std::to_string(next_request_id)) +
                     "</ErrorResponse>");
    }

    using Handler = void (Impl::*)(const httplib::Request&, httplib::Response&);

    // Every route goes through here: authentication, then throttling, then the operation.
    void serve(const httplib::Request& req, httplib::Response& res, Handler handler) {
        std::lock_guard lock(mutex);
        ++requests;
        Received received{req.method, req.target, {}, req.body};
        for (const auto& header : req.headers)
            received.headers.push_back(header);
        const Expected expected{options.access_key_id, options.secret_access_key,
                                options.session_token, options.region, "route53"};
        if (const auto failure = verify_sigv4(received, expected, options.now())) {
            send_error(res, failure->status, failure->code, failure->message);
        } else if (throttle_next > 0 ||
                   (options.throttle_every > 0 && requests % options.throttle_every == 0)) {
            throttle_next = std::max(0, throttle_next - 1);
            ++throttled;
            send_error(res, 400, "Throttling", "Rate exceeded");
        } else {
            (this->*handler)(req, res);
        }
        if (options.log_requests)
            std::cerr << "fake-route53: " << req.method << " " << req.path << " -> " << res.status
                      << "\n";
    }

    void routes() {
        const auto route = [this](Handler handler) {
            return [this, handler](const httplib::Request& req, httplib::Response& res) {
                serve(req, res, handler);
            };
        };
        server.Get("/2013-04-01/hostedzonesbyname", route(&Impl::list_zones_by_name));
        server.Get("/2013-04-01/hostedzone", route(&Impl::list_zones));
        server.Get(R"(/2013-04-01/hostedzone/([^/]+))", route(&Impl::get_zone));
        server.Get(R"(/2013-04-01/hostedzone/([^/]+)/rrset/?)", route(&Impl::list_sets));
        server.Post(R"(/2013-04-01/hostedzone/([^/]+)/rrset/?)", route(&Impl::change_sets));
        server.Get(R"(/2013-04-01/change/([^/]+))", route(&Impl::get_change));
    }

    Zone* zone_or_404(const httplib::Request& req, httplib::Response& res) {
        std::string id = req.matches[1];
        if (id.starts_with("hostedzone/"))
            id.erase(0, 11);
        Zone* zone = store.zone(id);
        if (zone == nullptr)
            send_error(res, 404, "NoSuchHostedZone", "No hosted zone found with ID: " + id);
        return zone;
    }

    void list_zones_by_name(const httplib::Request& req, httplib::Response& res) {
        const auto query = query_of(req.target);
        const auto max_items = parse_max_items(query, k_max_zones_per_page, k_max_zones_per_page);
        const auto dns_name = query.contains("dnsname") ? query.at("dnsname") : "";
        const auto zone_id = query.contains("hostedzoneid") ? query.at("hostedzoneid") : "";
        if (max_items < 0 || (!zone_id.empty() && dns_name.empty()))
            return send_error(res, 400, "InvalidInput",
                              "The input is not valid: hostedzoneid needs dnsname, maxitems "
                              "must be a number");
        const auto start = std::tuple(dns_name.empty() ? "" : reversed_labels(dns_name), zone_id);
        std::vector<const Zone*> listed;
        for (const Zone* zone : store.zones_by_name()) {
            if (std::tuple(reversed_labels(zone->name), zone->id) >= start)
                listed.push_back(zone);
        }
        const bool truncated = static_cast<int>(listed.size()) > max_items;
        std::string body = open_root("ListHostedZonesByNameResponse") + "<HostedZones>";
        for (int i = 0; i < std::min<int>(max_items, static_cast<int>(listed.size())); ++i)
            body += zone_xml(*listed[static_cast<std::size_t>(i)]);
        body += "</HostedZones>";
        if (!dns_name.empty())
            body += tag("DNSName", dns_name);
        if (!zone_id.empty())
            body += tag("HostedZoneId", zone_id);
        body += tag("IsTruncated", truncated ? "true" : "false");
        if (truncated) {
            const Zone* next = listed[static_cast<std::size_t>(max_items)];
            body += tag("NextDNSName", escape_name(next->name)) + tag("NextHostedZoneId", next->id);
        }
        body += tag("MaxItems", std::to_string(max_items)) + "</ListHostedZonesByNameResponse>";
        send_xml(res, 200, body);
    }

    void list_zones(const httplib::Request& req, httplib::Response& res) {
        const auto query = query_of(req.target);
        const auto max_items = parse_max_items(query, k_max_zones_per_page, k_max_zones_per_page);
        if (max_items < 0)
            return send_error(res, 400, "InvalidInput", "maxitems must be a number");
        const auto marker = query.contains("marker") ? query.at("marker") : "";
        std::vector<const Zone*> listed;
        for (const Zone* zone : store.zones_by_name()) {
            if (zone->id >= marker)
                listed.push_back(zone);
        }
        std::sort(listed.begin(), listed.end(),
                  [](const Zone* a, const Zone* b) { return a->id < b->id; });
        const bool truncated = static_cast<int>(listed.size()) > max_items;
        std::string body = open_root("ListHostedZonesResponse") + "<HostedZones>";
        for (int i = 0; i < std::min<int>(max_items, static_cast<int>(listed.size())); ++i)
            body += zone_xml(*listed[static_cast<std::size_t>(i)]);
        body += "</HostedZones>" + (marker.empty() ? "" : tag("Marker", marker)) +
                tag("IsTruncated", truncated ? "true" : "false");
        if (truncated)
            body += tag("NextMarker", listed[static_cast<std::size_t>(max_items)]->id);
        body += tag("MaxItems", std::to_string(max_items)) + "</ListHostedZonesResponse>";
        send_xml(res, 200, body);
    }

    void get_zone(const httplib::Request& req, httplib::Response& res) {
        const Zone* zone = zone_or_404(req, res);
        if (zone == nullptr)
            return;
        send_xml(res, 200,
                 open_root("GetHostedZoneResponse") + zone_xml(*zone) +
                     "<DelegationSet><NameServers>" + tag("NameServer", "ns-1.awsdns-fake.com") +
                     "</NameServers></DelegationSet></GetHostedZoneResponse>");
    }

    void list_sets(const httplib::Request& req, httplib::Response& res) {
        const Zone* zone = zone_or_404(req, res);
        if (zone == nullptr)
            return;
        const auto query = query_of(req.target);
        const auto max_items = parse_max_items(query, k_max_sets_per_page, k_max_sets_per_page);
        const auto name = query.contains("name") ? query.at("name") : "";
        const auto type = query.contains("type") ? query.at("type") : "";
        if (max_items < 0)
            return send_error(res, 400, "InvalidInput", "maxitems must be a number");
        if (!type.empty() && name.empty())
            return send_error(res, 400, "InvalidInput",
                              "The input is not valid: type is given without name");
        // A start position, not a filter: the first set >= (name, type).
        const std::pair start{name.empty() ? "" : reversed_labels(absolute_name(name)), type};
        std::vector<const RecordSet*> listed;
        for (auto it = zone->sets.lower_bound(start); it != zone->sets.end(); ++it)
            listed.push_back(&it->second);
        const bool truncated = static_cast<int>(listed.size()) > max_items;
        std::string body = open_root("ListResourceRecordSetsResponse") + "<ResourceRecordSets>";
        for (int i = 0; i < std::min<int>(max_items, static_cast<int>(listed.size())); ++i)
            body += set_xml(*listed[static_cast<std::size_t>(i)]);
        body += "</ResourceRecordSets>" + tag("IsTruncated", truncated ? "true" : "false");
        if (truncated) {
            const RecordSet* next = listed[static_cast<std::size_t>(max_items)];
            body +=
                tag("NextRecordName", escape_name(next->name)) + tag("NextRecordType", next->type);
        }
        body += tag("MaxItems", std::to_string(max_items)) + "</ListResourceRecordSetsResponse>";
        send_xml(res, 200, body);
    }

    // Returns the changes, or sends the error and returns nullopt.
    std::optional<std::vector<Change>> parse_batch(const std::string& body,
                                                   httplib::Response& res) {
        const auto document = xml::parse(body);
        if (!document || document->name != "ChangeResourceRecordSetsRequest" ||
            document->attribute("xmlns") != k_namespace) {
            send_error(res, 400, "MalformedInput",
                       "ChangeBatch is not valid, expected ChangeResourceRecordSetsRequest");
            return std::nullopt;
        }
        const xml::Element* batch = document->child("ChangeBatch");
        const xml::Element* list = batch != nullptr ? batch->child("Changes") : nullptr;
        std::vector<Change> changes;
        if (list == nullptr || list->children_named("Change").empty()) {
            send_error(res, 400, "InvalidInput", "ChangeBatch needs at least one Change");
            return std::nullopt;
        }
        for (const xml::Element* change : list->children_named("Change")) {
            const xml::Element* set = change->child("ResourceRecordSet");
            const auto action = change->child_text("Action");
            if (set == nullptr ||
                (action != "CREATE" && action != "DELETE" && action != "UPSERT")) {
                send_error(res, 400, "InvalidInput",
                           "Invalid request: each Change needs an Action (CREATE, DELETE or "
                           "UPSERT) and a ResourceRecordSet");
                return std::nullopt;
            }
            if (!in_model_order(*set)) {
                send_error(res, 400, "InvalidInput",
                           "Invalid XML: ResourceRecordSet elements must appear in the order "
                           "Name, Type, TTL, ResourceRecords");
                return std::nullopt;
            }
            RecordSet parsed{
                absolute_name(set->child_text("Name")), set->child_text("Type"), 0, {}};
            const xml::Element* records = set->child("ResourceRecords");
            const auto ttl_text = set->child_text("TTL");
            if (parsed.name == "." || parsed.type.empty() || ttl_text.empty() ||
                records == nullptr || records->children_named("ResourceRecord").empty()) {
                send_error(res, 400, "InvalidInput",
                           "Invalid request: Expected exactly one of [AliasTarget, all of [TTL, "
                           "and ResourceRecords], or TrafficPolicyInstanceId], but found none "
                           "in Change with [Action=" +
                               action + ", Name=" + parsed.name + ", Type=" + parsed.type +
                               ", SetIdentifier=null]");
                return std::nullopt;
            }
            try {
                parsed.ttl = std::stoll(ttl_text);
            } catch (const std::exception&) {
                parsed.ttl = -1;
            }
            if (parsed.ttl < 0 || parsed.ttl > 2147483647) {
                send_error(res, 400, "InvalidInput", "Invalid TTL: " + ttl_text);
                return std::nullopt;
            }
            for (const xml::Element* record : records->children_named("ResourceRecord"))
                parsed.values.push_back(record->child_text("Value"));
            changes.push_back(Change{action, std::move(parsed)});
        }
        return changes;
    }

    // "The XML elements in your request must appear in the order listed in the syntax."
    static bool in_model_order(const xml::Element& set) {
        static const std::vector<std::string> k_order{"Name", "Type", "TTL", "ResourceRecords"};
        std::size_t last = 0;
        for (const auto& child : set.children) {
            const auto found = std::find(k_order.begin(), k_order.end(), child.name);
            if (found == k_order.end())
                continue;
            const auto index = static_cast<std::size_t>(found - k_order.begin()) + 1;
            if (index <= last)
                return false;
            last = index;
        }
        return true;
    }

    void send_invalid_batch(httplib::Response& res, const std::vector<std::string>& errors) {
        if (!options.bare_invalid_change_batch) {
            std::string joined = "[";
            for (std::size_t i = 0; i < errors.size(); ++i)
                joined += (i == 0 ? "" : ", ") + errors[i];
            return send_error(res, 400, "InvalidChangeBatch", joined + "]");
        }
        std::string body = open_root("InvalidChangeBatch") + "<Messages>";
        for (const auto& error : errors)
            body += tag("Message", error);
        body += "</Messages>" +
                tag("RequestId", "fake-request-" + std::to_string(next_request_id)) +
                "</InvalidChangeBatch>";
        send_xml(res, 400, body);
    }

    // Applies accepted TXT deltas to the real DNS server, removals first.
    Result<void> mirror(const Zone& zone, const std::vector<TxtDelta>& deltas) {
        if (!options.bind)
            return {};
        std::vector<dns::TxtChange> removed;
        std::vector<dns::TxtChange> added;
        for (const auto& delta : deltas) {
            for (const auto& value : delta.removed)
                removed.push_back({delta.name, value, std::chrono::seconds(delta.ttl)});
            for (const auto& value : delta.added)
                added.push_back({delta.name, value, std::chrono::seconds(delta.ttl)});
        }
        if (!removed.empty())
            WILDCERT_CHECK(
                dns::remove_txt(options.bind->server, options.bind->key, zone.name, removed));
        if (!added.empty())
            WILDCERT_CHECK(dns::add_txt(options.bind->server, options.bind->key, zone.name, added));
        return {};
    }

    void change_sets(const httplib::Request& req, httplib::Response& res) {
        Zone* zone = zone_or_404(req, res);
        if (zone == nullptr)
            return;
        if (prior_request_next > 0) {
            --prior_request_next;
            return send_error(res, 400, "PriorRequestNotComplete",
                              "The request was rejected because Route 53 was still processing "
                              "a prior request.");
        }
        auto changes = parse_batch(req.body, res);
        if (!changes)
            return;
        Zone updated = *zone;
        std::vector<TxtDelta> deltas;
        if (const auto errors = store.apply(updated, *changes, deltas); !errors.empty())
            return send_invalid_batch(res, errors);
        if (auto mirrored = mirror(updated, deltas); !mirrored)
            return send_error(res, 500, "InternalFailure",
                              "fake-route53: DNS server update failed: " +
                                  mirrored.error().message);
        *zone = std::move(updated);
        accepted.push_back(*changes);

        char id[32];
        std::snprintf(id, sizeof id, "C%013d", next_change++);
        pending[id].submitted = options.now();
        send_xml(res, 200,
                 open_root("ChangeResourceRecordSetsResponse") + "<ChangeInfo>" +
                     tag("Id", std::string("/change/") + id) + tag("Status", "PENDING") +
                     tag("SubmittedAt", iso_time(options.now())) +
                     "</ChangeInfo></ChangeResourceRecordSetsResponse>");
    }

    void get_change(const httplib::Request& req, httplib::Response& res) {
        ++get_change_calls;
        std::string id = req.matches[1];
        const auto found = pending.find(id);
        if (found == pending.end())
            return send_error(res, 404, "NoSuchChange",
                              "A change with the specified change ID does not exist.");
        PendingChange& change = found->second;
        if (++change.polls > options.polls_until_insync)
            change.status = "INSYNC";
        send_xml(res, 200,
                 open_root("GetChangeResponse") + "<ChangeInfo>" + tag("Id", "/change/" + id) +
                     tag("Status", change.status) + tag("SubmittedAt", iso_time(change.submitted)) +
                     "</ChangeInfo></GetChangeResponse>");
    }
};

FakeRoute53::FakeRoute53(FakeOptions options)
    : m_impl(std::make_unique<Impl>(std::move(options))) {}

FakeRoute53::~FakeRoute53() {
    stop();
}

Result<int> FakeRoute53::start(int port) {
    if (port == 0)
        m_impl->port = m_impl->server.bind_to_any_port("127.0.0.1");
    else
        m_impl->port = m_impl->server.bind_to_port("127.0.0.1", port) ? port : -1;
    if (m_impl->port <= 0)
        return make_error(ErrorKind::network, "fake-route53: cannot listen on 127.0.0.1");
    m_impl->thread = std::thread([impl = m_impl.get()] { impl->server.listen_after_bind(); });
    // stop() before the loop runs would be lost (httplib only stops a running server), and
    // the join would then wait forever.
    while (!m_impl->server.is_running())
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return m_impl->port;
}

void FakeRoute53::stop() {
    if (m_impl && m_impl->thread.joinable()) {
        m_impl->server.stop();
        m_impl->thread.join();
    }
}

std::string FakeRoute53::url() const {
    return "http://127.0.0.1:" + std::to_string(m_impl->port);
}

std::string FakeRoute53::add_zone(const std::string& name, bool private_zone) {
    std::lock_guard lock(m_impl->mutex);
    return m_impl->store.add_zone(name, private_zone);
}

void FakeRoute53::put_set(const std::string& zone_id, const RecordSet& set) {
    std::lock_guard lock(m_impl->mutex);
    Zone* zone = m_impl->store.zone(zone_id);
    if (zone == nullptr)
        return;
    RecordSet stored = set;
    stored.name = absolute_name(set.name);
    zone->sets[{reversed_labels(stored.name), stored.type}] = stored;
}

std::optional<RecordSet> FakeRoute53::set(const std::string& zone_id, const std::string& name,
                                          const std::string& type) const {
    std::lock_guard lock(m_impl->mutex);
    const Zone* zone = m_impl->store.zone(zone_id);
    if (zone == nullptr)
        return std::nullopt;
    const auto found = zone->sets.find({reversed_labels(absolute_name(name)), type});
    if (found == zone->sets.end())
        return std::nullopt;
    return found->second;
}

void FakeRoute53::throttle_next(int count) {
    std::lock_guard lock(m_impl->mutex);
    m_impl->throttle_next = count;
}

void FakeRoute53::prior_request_not_complete_next(int count) {
    std::lock_guard lock(m_impl->mutex);
    m_impl->prior_request_next = count;
}

void FakeRoute53::set_polls_until_insync(int polls) {
    std::lock_guard lock(m_impl->mutex);
    m_impl->options.polls_until_insync = polls;
}

int FakeRoute53::accepted_batches() const {
    std::lock_guard lock(m_impl->mutex);
    return static_cast<int>(m_impl->accepted.size());
}

int FakeRoute53::get_change_calls() const {
    std::lock_guard lock(m_impl->mutex);
    return m_impl->get_change_calls;
}

int FakeRoute53::throttled_requests() const {
    std::lock_guard lock(m_impl->mutex);
    return m_impl->throttled;
}

std::vector<std::vector<Change>> FakeRoute53::batches() const {
    std::lock_guard lock(m_impl->mutex);
    return m_impl->accepted;
}

} // namespace wildcert::fakes::route53
