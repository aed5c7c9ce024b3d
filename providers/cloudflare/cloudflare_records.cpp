#include "providers/cloudflare/cloudflare_records.hpp"

#include "json/json.hpp"

#include <iterator>

namespace wildcert::providers::cloudflare {
namespace {

// A broken server that always reports more pages must not keep us here.
constexpr std::int64_t k_max_pages = 1000;

std::string records_path(const Zone& zone) {
    return "/zones/" + zone.id + "/dns_records";
}

} // namespace

TxtPage read_txt_page(const json::Document& body) {
    const auto root = body.root();
    TxtPage page;
    for (const auto& item : root.array_member("result")) {
        if (item.string_member("type").value_or("") != "TXT")
            continue;
        page.entries.push_back(TxtEntry{item.string_member("id").value_or(""),
                                        item.string_member("name").value_or(""),
                                        item.string_member("content").value_or("")});
    }
    // result_info is optional (research notes §1.3): without it there is one page.
    const auto info = root.member("result_info");
    page.total_pages = info ? info->int_member("total_pages").value_or(1) : 1;
    return page;
}

std::string quoted_content(std::string_view value) {
    // RFC 1035 §5.1: inside quotes, '"' and '\' are escaped with '\'. Challenge values are
    // base64url and never contain either; other values stay correct anyway.
    std::string out = "\"";
    for (const char c : value) {
        if (c == '"' || c == '\\')
            out.push_back('\\');
        out.push_back(c);
    }
    out.push_back('"');
    return out;
}

bool content_matches(std::string_view content, std::string_view value) {
    return content == value || content == quoted_content(value);
}

Result<void> create_txt(Api& api, const Zone& zone, const std::string& name, std::string_view value,
                        std::int64_t ttl) {
    json::Writer body;
    body.begin_object()
        .key("type")
        .string("TXT")
        .key("name")
        .string(name)
        .key("content")
        .string(quoted_content(value))
        .key("ttl")
        .integer(ttl)
        .end_object();
    WILDCERT_TRY(auto reply, api.call("POST", records_path(zone), body.str()));
    // Research notes §1.10: both codes mean "this exact record exists"; certbot and acme.sh
    // treat them as success too.
    if (reply.has_code(k_code_identical_record_exists) || reply.has_code(k_code_record_exists))
        return {};
    if (auto created = api.expect_success(std::move(reply), "create TXT record " + name); !created)
        return created.error();
    return {};
}

Result<std::vector<TxtEntry>> list_txt(Api& api, const Zone& zone, const std::string& name) {
    std::vector<TxtEntry> entries;
    // All pages are read before anything is deleted: deleting while paging would shift the
    // later pages under us.
    for (std::int64_t page = 1; page <= k_max_pages; ++page) {
        const auto path = records_path(zone) + "?type=TXT&name=" + query_escape(name) +
                          "&page=" + std::to_string(page);
        WILDCERT_TRY(auto reply, api.call("GET", path));
        WILDCERT_TRY(const auto body,
                     api.expect_success(std::move(reply), "list TXT records " + name));
        auto read = read_txt_page(body);
        entries.insert(entries.end(), std::make_move_iterator(read.entries.begin()),
                       std::make_move_iterator(read.entries.end()));
        if (page >= read.total_pages)
            return entries;
    }
    return make_error(ErrorKind::provider, "list TXT records " + name + ": more than " +
                                               std::to_string(k_max_pages) + " pages");
}

Result<void> delete_record(Api& api, const Zone& zone, const TxtEntry& entry) {
    const auto what = "delete TXT record " + entry.name + " (id " + entry.id + ")";
    if (!is_plain_id(entry.id))
        return make_error(ErrorKind::provider, what + ": the record id is not usable");
    WILDCERT_TRY(auto reply, api.call("DELETE", records_path(zone) + "/" + entry.id));
    if (reply.has_code(k_code_record_does_not_exist))
        return {};
    if (auto deleted = api.expect_success(std::move(reply), what); !deleted)
        return deleted.error();
    return {};
}

} // namespace wildcert::providers::cloudflare
