#include "fake_api.hpp"

#include "txt_rules.hpp"
#include "json/json.hpp"

#include <algorithm>
#include <charconv>
#include <functional>

namespace wildcert::fakes::cloudflare {
namespace {

// Research notes §1.10: the codes Cloudflare is seen to send. Where no code is documented
// (validation, throttling) the fake picks one and says so.
constexpr std::int64_t k_code_invalid_headers = 6003;
constexpr std::int64_t k_code_bad_email_format = 6102;
constexpr std::int64_t k_code_bad_key_format = 6103;
constexpr std::int64_t k_code_bad_authorization_format = 6111;
constexpr std::int64_t k_code_no_route = 7000;
constexpr std::int64_t k_code_cannot_route = 7003;
constexpr std::int64_t k_code_bad_global_key = 9103;
constexpr std::int64_t k_code_invalid_token = 9109;
constexpr std::int64_t k_code_authentication_error = 10000;
constexpr std::int64_t k_code_invalid_zone = 1003;
constexpr std::int64_t k_code_dns_validation = 1004; // undocumented family, fake's choice
constexpr std::int64_t k_code_bad_body = 9207;       // undocumented, fake's choice
constexpr std::int64_t k_code_record_missing = 81044;
constexpr std::int64_t k_code_throttled = 971; // 429 is the signal; the code is incidental
constexpr std::int64_t k_code_fake_backend = 1000;

// GET /zones: default 20, at most 50 (research notes §1.4).
constexpr std::int64_t k_zones_per_page = 20;
constexpr std::int64_t k_zones_max_per_page = 50;
constexpr std::int64_t k_records_max_per_page = 5000000;

// A fixed time keeps responses reproducible; clients must not care.
constexpr std::string_view k_timestamp = "2024-01-01T00:00:00.000000Z";

std::optional<std::string> first(const std::multimap<std::string, std::string>& map,
                                 const std::string& key) {
    const auto found = map.find(key);
    if (found == map.end())
        return std::nullopt;
    return found->second;
}

std::optional<std::int64_t> to_integer(std::string_view text) {
    std::int64_t number = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (text.empty() || ec != std::errc() || ptr != text.data() + text.size())
        return std::nullopt;
    return number;
}

struct Page {
    std::int64_t page = 1;
    std::int64_t per_page = 20;
};

std::optional<Page> read_page(const FakeRequest& request, std::int64_t default_per_page,
                              std::int64_t max_per_page) {
    Page page{1, default_per_page};
    if (const auto text = first(request.query, "page")) {
        const auto number = to_integer(*text);
        if (!number || *number < 1)
            return std::nullopt;
        page.page = *number;
    }
    if (const auto text = first(request.query, "per_page")) {
        const auto number = to_integer(*text);
        if (!number || *number < 1)
            return std::nullopt;
        page.per_page = std::min(*number, max_per_page);
    }
    return page;
}

// The envelope of every answer (research notes §1.3).
std::string success_body(const std::function<void(json::Writer&)>& result,
                         std::optional<std::pair<Page, std::int64_t>> info = std::nullopt,
                         std::int64_t count = 0) {
    json::Writer writer;
    writer.begin_object().key("success").boolean(true);
    writer.key("errors").begin_array().end_array();
    writer.key("messages").begin_array().end_array();
    writer.key("result");
    result(writer);
    if (info) {
        const auto& [page, total] = *info;
        const auto pages = (total + page.per_page - 1) / page.per_page;
        writer.key("result_info")
            .begin_object()
            .key("page")
            .integer(page.page)
            .key("per_page")
            .integer(page.per_page)
            .key("count")
            .integer(count)
            .key("total_count")
            .integer(total)
            .key("total_pages")
            .integer(pages)
            .end_object();
    }
    writer.end_object();
    return writer.str();
}

void write_zone(json::Writer& writer, const FakeZone& zone) {
    writer.begin_object()
        .key("id")
        .string(zone.id)
        .key("name")
        .string(zone.name)
        .key("status")
        .string(zone.status)
        .key("paused")
        .boolean(false)
        .key("type")
        .string("full")
        .key("account")
        .begin_object()
        .key("id")
        .string(zone.account_id)
        .key("name")
        .string("Fake Account")
        .end_object()
        .key("name_servers")
        .begin_array()
        .string("ns1." + zone.name)
        .end_array()
        .end_object();
}

void write_record(json::Writer& writer, const FakeRecord& record) {
    writer.begin_object()
        .key("id")
        .string(record.id)
        .key("name")
        .string(record.name)
        .key("type")
        .string(record.type)
        .key("content")
        .string(record.content)
        .key("proxiable")
        .boolean(false)
        .key("proxied")
        .boolean(false)
        .key("ttl")
        .integer(record.ttl)
        .key("settings")
        .begin_object()
        .end_object()
        .key("meta")
        .begin_object()
        .end_object()
        .key("tags")
        .begin_array()
        .end_array()
        .key("created_on")
        .string(k_timestamp)
        .key("modified_on")
        .string(k_timestamp)
        .end_object();
}

FakeResponse ok(std::string body) {
    return FakeResponse{200, {}, std::move(body)};
}

std::vector<std::string> split_path(std::string_view path) {
    std::vector<std::string> parts;
    std::size_t at = 0;
    while (at <= path.size()) {
        const auto slash = path.find('/', at);
        const auto end = slash == std::string_view::npos ? path.size() : slash;
        if (end > at)
            parts.emplace_back(path.substr(at, end - at));
        if (slash == std::string_view::npos)
            break;
        at = slash + 1;
    }
    return parts;
}

bool filter_matches(const std::multimap<std::string, std::string>& query, const std::string& key,
                    const std::string& value) {
    // "Content filters are case-insensitive"; name filters too (research notes §1.5).
    for (const auto& filter : {key, key + ".exact"}) {
        if (const auto wanted = first(query, filter); wanted && lower(*wanted) != lower(value))
            return false;
    }
    return true;
}

} // namespace

FakeApi::FakeApi() : m_random(std::random_device{}()) {}

void FakeApi::add_token(std::string token, Scopes scopes) {
    std::lock_guard lock(m_mutex);
    m_tokens.insert_or_assign(std::move(token), scopes);
}

void FakeApi::add_global_key(std::string email, std::string key) {
    std::lock_guard lock(m_mutex);
    m_global_keys.insert_or_assign(lower(email), std::move(key));
}

std::string FakeApi::add_zone(std::string name, std::string account_id, std::string status) {
    std::lock_guard lock(m_mutex);
    auto zone_name = lower(name);
    while (!zone_name.empty() && zone_name.back() == '.')
        zone_name.pop_back();
    m_zones.push_back(FakeZone{new_id(), zone_name, std::move(account_id), std::move(status)});
    return m_zones.back().id;
}

void FakeApi::set_prefix(std::string prefix) {
    std::lock_guard lock(m_mutex);
    m_prefix = std::move(prefix);
}

void FakeApi::set_records_per_page(int per_page) {
    std::lock_guard lock(m_mutex);
    m_records_per_page = std::max(per_page, 1);
}

void FakeApi::set_duplicate_code(std::int64_t code) {
    std::lock_guard lock(m_mutex);
    m_duplicate_code = code;
}

void FakeApi::set_bind(BindTarget target) {
    std::lock_guard lock(m_mutex);
    m_bind = std::move(target);
}

void FakeApi::throttle_every(int n, int retry_after_seconds) {
    std::lock_guard lock(m_mutex);
    m_throttle_every = std::max(n, 0);
    m_retry_after = retry_after_seconds;
}

void FakeApi::throttle_next(int count, int retry_after_seconds) {
    std::lock_guard lock(m_mutex);
    m_throttle_next = std::max(count, 0);
    m_retry_after = retry_after_seconds;
}

void FakeApi::echo_credentials_in_errors(bool on) {
    std::lock_guard lock(m_mutex);
    m_echo_credentials = on;
}

std::string FakeApi::seed_record(const std::string& zone_id, const std::string& name,
                                 const std::string& content, std::int64_t ttl) {
    std::lock_guard lock(m_mutex);
    const auto* zone = find_zone(zone_id);
    const auto full = zone != nullptr ? full_record_name(name, zone->name) : lower(name);
    m_records.push_back(FakeRecord{new_id(), zone_id, "TXT", full, content, ttl});
    return m_records.back().id;
}

std::vector<FakeRecord> FakeApi::records() const {
    std::lock_guard lock(m_mutex);
    return m_records;
}

std::vector<FakeRecord> FakeApi::records_named(std::string_view name) const {
    std::lock_guard lock(m_mutex);
    std::vector<FakeRecord> found;
    for (const auto& record : m_records) {
        if (record.name == lower(name))
            found.push_back(record);
    }
    return found;
}

int FakeApi::request_count() const {
    std::lock_guard lock(m_mutex);
    return m_requests;
}

int FakeApi::throttled_count() const {
    std::lock_guard lock(m_mutex);
    return m_throttled;
}

std::vector<std::string> FakeApi::request_log() const {
    std::lock_guard lock(m_mutex);
    return m_log;
}

std::string FakeApi::new_id() {
    static constexpr char k_hex[] = "0123456789abcdef";
    std::string id(32, '0');
    for (auto& c : id)
        c = k_hex[m_random() % 16];
    return id;
}

const FakeZone* FakeApi::find_zone(std::string_view id) const {
    for (const auto& zone : m_zones) {
        if (zone.id == id)
            return &zone;
    }
    return nullptr;
}

FakeResponse FakeApi::fail(int status, std::vector<ApiError> errors) const {
    const std::function<void(json::Writer&, const ApiError&)> write_error =
        [&](json::Writer& writer, const ApiError& error) {
            writer.begin_object().key("code").integer(error.code);
            writer.key("message").string(error.message + m_echo_text);
            if (!error.chain.empty()) {
                writer.key("error_chain").begin_array();
                for (const auto& link : error.chain)
                    write_error(writer, link);
                writer.end_array();
            }
            writer.end_object();
        };
    json::Writer writer;
    writer.begin_object().key("success").boolean(false).key("errors").begin_array();
    for (const auto& error : errors)
        write_error(writer, error);
    writer.end_array().key("messages").begin_array().end_array();
    writer.key("result").raw("null").end_object();
    return FakeResponse{status, {}, writer.str()};
}

FakeResponse FakeApi::validation_error(const std::string& why) const {
    return fail(
        400, {{k_code_dns_validation, "DNS Validation Error", {{k_code_dns_validation, why, {}}}}});
}

FakeResponse FakeApi::handle(const FakeRequest& request) {
    std::lock_guard lock(m_mutex);
    ++m_requests;
    m_log.push_back(request.method + " " + request.target);
    m_echo_text.clear();
    if (m_echo_credentials) {
        for (const auto* header : {"authorization", "x-auth-key"}) {
            if (const auto value = first(request.headers, header))
                m_echo_text += " [" + std::string(header) + ": " + *value + "]";
        }
    }
    if (auto throttled = throttle())
        return *throttled;
    Caller caller;
    if (auto refused = authenticate(request, caller))
        return *refused;
    return route(request, caller);
}

// Research notes §1.11: over the limit, every call gets 429 with Retry-After.
std::optional<FakeResponse> FakeApi::throttle() {
    bool limited = false;
    if (m_throttle_next > 0) {
        --m_throttle_next;
        limited = true;
    } else if (m_throttle_every > 0 && m_requests % m_throttle_every == 0) {
        limited = true;
    }
    if (!limited)
        return std::nullopt;
    ++m_throttled;
    auto response = fail(429, {{k_code_throttled,
                                "More than 1200 requests per 300 seconds reached. Please wait "
                                "and consider throttling your request speed",
                                {}}});
    response.headers.emplace_back("Retry-After", std::to_string(m_retry_after));
    return response;
}

// Research notes §1.2 and §1.13 item 2: Bearer token, or X-Auth-Email + X-Auth-Key.
std::optional<FakeResponse> FakeApi::authenticate(const FakeRequest& request,
                                                  Caller& caller) const {
    const auto authorization = first(request.headers, "authorization");
    const auto email = first(request.headers, "x-auth-email");
    const auto key = first(request.headers, "x-auth-key");
    if (authorization) {
        constexpr std::string_view k_bearer = "Bearer ";
        if (authorization->rfind(k_bearer, 0) != 0 || authorization->size() == k_bearer.size())
            return fail(400, {{k_code_invalid_headers,
                               "Invalid request headers",
                               {{k_code_bad_authorization_format,
                                 "Invalid format for Authorization header",
                                 {}}}}});
        const auto token = authorization->substr(k_bearer.size());
        const auto found = m_tokens.find(token);
        if (found == m_tokens.end())
            return fail(403, {{k_code_invalid_token, "Invalid access token", {}}});
        caller.scopes = found->second;
        // A stable, non-secret name for the token, like Cloudflare's token id.
        caller.actor = "com.cloudflare.api.token." +
                       std::to_string(std::hash<std::string>{}(token) % 1000000007);
        return std::nullopt;
    }
    if (email || key) {
        if (!email || email->find('@') == std::string::npos)
            return fail(
                400, {{k_code_invalid_headers,
                       "Invalid request headers",
                       {{k_code_bad_email_format, "Invalid format for X-Auth-Email header", {}}}}});
        if (!key || key->empty())
            return fail(400,
                        {{k_code_invalid_headers,
                          "Invalid request headers",
                          {{k_code_bad_key_format, "Invalid format for X-Auth-Key header", {}}}}});
        const auto found = m_global_keys.find(lower(*email));
        if (found == m_global_keys.end() || found->second != *key)
            return fail(403, {{k_code_bad_global_key, "Unknown X-Auth-Key or X-Auth-Email", {}}});
        caller.scopes = Scopes{};
        caller.actor = "com.cloudflare.api.user." + lower(*email);
        return std::nullopt;
    }
    return fail(
        400,
        {{k_code_invalid_headers,
          "Invalid request headers",
          {{k_code_bad_authorization_format, "Invalid format for Authorization header", {}}}}});
}

FakeResponse FakeApi::route(const FakeRequest& request, const Caller& caller) {
    const auto no_route = [&] {
        return fail(400, {{k_code_cannot_route,
                           "Could not route to " + request.path +
                               ", perhaps your object identifier is invalid?",
                           {}},
                          {k_code_no_route, "No route for that URI", {}}});
    };
    if (request.path.rfind(m_prefix, 0) != 0)
        return no_route();
    const auto parts = split_path(std::string_view(request.path).substr(m_prefix.size()));
    if (parts.empty() || parts[0] != "zones")
        return no_route();
    const auto& method = request.method;
    if (parts.size() == 1)
        return method == "GET" ? list_zones(request, caller) : no_route();
    if (parts.size() == 2)
        return method == "GET" ? get_zone(parts[1], caller) : no_route();
    if (parts[2] != "dns_records" || parts.size() > 4)
        return no_route();
    const FakeZone* zone = find_zone(parts[1]);
    if (zone == nullptr)
        return fail(400, {{k_code_invalid_zone, "Invalid or missing zone id.", {}}});
    if (parts.size() == 3) {
        if (method == "GET")
            return list_records(*zone, request, caller);
        if (method == "POST")
            return create_record(*zone, request, caller);
        return no_route();
    }
    if (method == "GET")
        return get_record(*zone, parts[3], caller);
    if (method == "DELETE")
        return delete_record(*zone, parts[3], caller);
    // PUT and PATCH exist in the real API; DNS-01 clients have no use for them.
    return fail(405,
                {{k_code_no_route, "The fake does not implement " + method + " on records", {}}});
}

FakeResponse FakeApi::list_zones(const FakeRequest& request, const Caller& caller) const {
    if (!caller.scopes.zone_read)
        return fail(403, {{0,
                           "Actor '" + caller.actor +
                               "' requires permission 'com.cloudflare.api.account.zone.list' "
                               "to list zones",
                           {}}});
    const auto page = read_page(request, k_zones_per_page, k_zones_max_per_page);
    if (!page)
        return validation_error("page and per_page must be positive integers");
    std::vector<const FakeZone*> matching;
    for (const auto& zone : m_zones) {
        if (const auto name = first(request.query, "name"); name && lower(*name) != zone.name)
            continue;
        if (const auto account = first(request.query, "account.id");
            account && *account != zone.account_id)
            continue;
        if (const auto status = first(request.query, "status"); status && *status != zone.status)
            continue;
        matching.push_back(&zone);
    }
    const auto total = static_cast<std::int64_t>(matching.size());
    const auto begin = std::min(total, (page->page - 1) * page->per_page);
    const auto end = std::min(total, begin + page->per_page);
    return ok(success_body(
        [&](json::Writer& writer) {
            writer.begin_array();
            for (auto i = begin; i < end; ++i)
                write_zone(writer, *matching[static_cast<std::size_t>(i)]);
            writer.end_array();
        },
        std::pair{*page, total}, end - begin));
}

FakeResponse FakeApi::get_zone(const std::string& zone_id, const Caller& caller) const {
    if (!caller.scopes.zone_read)
        return fail(403, {{k_code_invalid_token, "Unauthorized to access requested resource", {}}});
    const FakeZone* zone = find_zone(zone_id);
    if (zone == nullptr)
        return fail(400, {{k_code_invalid_zone, "Invalid or missing zone id.", {}}});
    return ok(success_body([&](json::Writer& writer) { write_zone(writer, *zone); }));
}

FakeResponse FakeApi::list_records(const FakeZone& zone, const FakeRequest& request,
                                   const Caller& caller) const {
    if (!caller.scopes.dns_read && !caller.scopes.dns_edit)
        return fail(403, {{k_code_authentication_error, "Authentication error", {}}});
    const auto page = read_page(request, m_records_per_page, k_records_max_per_page);
    if (!page)
        return validation_error("page and per_page must be positive integers");
    std::vector<const FakeRecord*> matching;
    for (const auto& record : m_records) {
        if (record.zone_id != zone.id)
            continue;
        if (const auto type = first(request.query, "type"); type && *type != record.type)
            continue;
        if (!filter_matches(request.query, "name", record.name) ||
            !filter_matches(request.query, "content", record.content))
            continue;
        matching.push_back(&record);
    }
    const auto total = static_cast<std::int64_t>(matching.size());
    const auto begin = std::min(total, (page->page - 1) * page->per_page);
    const auto end = std::min(total, begin + page->per_page);
    return ok(success_body(
        [&](json::Writer& writer) {
            writer.begin_array();
            for (auto i = begin; i < end; ++i)
                write_record(writer, *matching[static_cast<std::size_t>(i)]);
            writer.end_array();
        },
        std::pair{*page, total}, end - begin));
}

FakeResponse FakeApi::get_record(const FakeZone& zone, const std::string& record_id,
                                 const Caller& caller) const {
    if (!caller.scopes.dns_read && !caller.scopes.dns_edit)
        return fail(403, {{k_code_authentication_error, "Authentication error", {}}});
    for (const auto& record : m_records) {
        if (record.zone_id == zone.id && record.id == record_id)
            return ok(success_body([&](json::Writer& writer) { write_record(writer, record); }));
    }
    return fail(404, {{k_code_record_missing, "Record does not exist.", {}}});
}

// Research notes §1.6 and §1.13 item 6.
FakeResponse FakeApi::create_record(const FakeZone& zone, const FakeRequest& request,
                                    const Caller& caller) {
    if (!caller.scopes.dns_edit)
        return fail(403, {{k_code_authentication_error, "Authentication error", {}}});
    auto parsed = json::Document::parse(request.body);
    if (!parsed || !parsed->root().is_object())
        return fail(400, {{k_code_bad_body, "Request body is invalid.", {}}});
    const auto body = parsed->root();

    const auto type = body.string_member("type");
    if (!type)
        return validation_error("type is required");
    if (*type != "TXT")
        return validation_error("the fake supports TXT records only");
    const auto name = body.string_member("name");
    if (!name || name->empty())
        return validation_error("name is required");
    const auto content = body.string_member("content");
    if (!content)
        return validation_error("content is required");
    if (const auto problem = txt_content_problem(*content))
        return validation_error("Content for TXT record is invalid: " + *problem);
    std::int64_t ttl = 1; // the schema's default: automatic
    if (body.member("ttl")) {
        const auto given = body.int_member("ttl");
        if (!given || !valid_ttl(*given))
            return validation_error(
                "TTL must be between 60 and 86400 seconds, or 1 for Automatic.");
        ttl = *given;
    }

    FakeRecord record{new_id(), zone.id, *type, full_record_name(*name, zone.name), *content, ttl};
    std::size_t content_at_name = record.content.size();
    for (const auto& other : m_records) {
        if (other.zone_id != zone.id || other.type != record.type || other.name != record.name)
            continue;
        if (other.content == record.content)
            return fail(400, {{m_duplicate_code,
                               m_duplicate_code == 81057 ? "The record already exists."
                                                         : "An identical record already exists.",
                               {}}});
        content_at_name += other.content.size();
    }
    if (content_at_name > k_max_txt_content_per_name)
        return validation_error("TXT records at one name may hold at most " +
                                std::to_string(k_max_txt_content_per_name) + " characters");
    if (const auto refused = mirror(zone, record, true))
        return fail(500, {{k_code_fake_backend, "fake: BIND refused the update: " + *refused, {}}});
    m_records.push_back(record);
    return ok(success_body([&](json::Writer& writer) { write_record(writer, record); }));
}

// Research notes §1.7.
FakeResponse FakeApi::delete_record(const FakeZone& zone, const std::string& record_id,
                                    const Caller& caller) {
    if (!caller.scopes.dns_edit)
        return fail(403, {{k_code_authentication_error, "Authentication error", {}}});
    const auto found = std::find_if(m_records.begin(), m_records.end(), [&](const FakeRecord& r) {
        return r.zone_id == zone.id && r.id == record_id;
    });
    if (found == m_records.end())
        return fail(404, {{k_code_record_missing, "Record does not exist.", {}}});
    const FakeRecord record = *found;
    m_records.erase(found);
    // Two records ("abc" and "\"abc\"") can stand for one DNS value: keep it while one is left.
    const bool value_still_used =
        std::any_of(m_records.begin(), m_records.end(), [&](const FakeRecord& other) {
            return other.zone_id == zone.id && other.name == record.name &&
                   txt_dns_value(other.content) == txt_dns_value(record.content);
        });
    if (!value_still_used) {
        if (const auto refused = mirror(zone, record, false)) {
            m_records.push_back(record);
            return fail(500,
                        {{k_code_fake_backend, "fake: BIND refused the update: " + *refused, {}}});
        }
    }
    return ok(success_body([&](json::Writer& writer) {
        writer.begin_object().key("id").string(record.id).end_object();
    }));
}

std::optional<std::string> FakeApi::mirror(const FakeZone& zone, const FakeRecord& record,
                                           bool add) {
    if (!m_bind)
        return std::nullopt;
    const std::int64_t ttl = record.ttl == 1 ? k_automatic_ttl_seconds : record.ttl;
    const dns::TxtChange change{record.name + ".", txt_dns_value(record.content),
                                std::chrono::seconds(ttl)};
    const auto done =
        add ? dns::add_txt(m_bind->server, m_bind->key, zone.name + ".", {&change, 1})
            : dns::remove_txt(m_bind->server, m_bind->key, zone.name + ".", {&change, 1});
    if (!done)
        return done.error().message;
    return std::nullopt;
}

} // namespace wildcert::fakes::cloudflare
