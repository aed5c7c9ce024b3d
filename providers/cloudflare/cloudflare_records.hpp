#pragma once
// The three DNS record calls DNS-01 needs: create, list by name, delete by id.

#include "providers/cloudflare/cloudflare_api.hpp"
#include "providers/cloudflare/cloudflare_zones.hpp"

#include <wildcert/result.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace wildcert::providers::cloudflare {

struct TxtEntry {
    std::string id;
    std::string name;    // as Cloudflare returns it
    std::string content; // verbatim, possibly quoted
};

// One page of GET /zones/{zone}/dns_records: its TXT entries, and how many pages there are.
struct TxtPage {
    std::vector<TxtEntry> entries;
    std::int64_t total_pages = 1;
};
// Reads a successful list answer's body; entries of other types are skipped, and without
// result_info there is one page. Any JSON gives a page.
[[nodiscard]] TxtPage read_txt_page(const json::Document& body);

// TXT content as Cloudflare's schema wants it: a quoted RFC 1035 character-string
// (cloudflare-go TXTRecordParam.Content); lego quotes too since go-acme/lego#2521.
[[nodiscard]] std::string quoted_content(std::string_view value);
// True when `content` is `value`, quoted or not: records written by other clients (acme.sh,
// certbot) or by older versions are unquoted.
[[nodiscard]] bool content_matches(std::string_view content, std::string_view value);

// POST /zones/{zone}/dns_records. An identical record already there (81057, 81058) is
// success, so adding is idempotent.
[[nodiscard]] Result<void> create_txt(Api& api, const Zone& zone, const std::string& name,
                                      std::string_view value, std::int64_t ttl);

// GET /zones/{zone}/dns_records?type=TXT&name=<name>&page=N, every page.
[[nodiscard]] Result<std::vector<TxtEntry>> list_txt(Api& api, const Zone& zone,
                                                     const std::string& name);

// DELETE /zones/{zone}/dns_records/{id}. A record that is already gone (81044) is success.
[[nodiscard]] Result<void> delete_record(Api& api, const Zone& zone, const TxtEntry& entry);

} // namespace wildcert::providers::cloudflare
