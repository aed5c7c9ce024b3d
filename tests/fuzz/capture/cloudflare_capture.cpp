// Writes seeds for the cloudflare_json fuzz target from the Cloudflare fake (tests/fakes), which
// answers with the real API's documented shapes: each file is one status byte (its index in
// the target's status table) followed by the body the fake sent.
// Usage: fuzz-capture-cloudflare OUT_DIR
#include "tests/fakes/cloudflare/fake_api.hpp"

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace {

using wildcert::fakes::cloudflare::FakeApi;
using wildcert::fakes::cloudflare::FakeRequest;
using wildcert::fakes::cloudflare::FakeResponse;

// The same table as cloudflare_json_fuzz.cpp.
constexpr std::array<int, 8> k_statuses{200, 400, 401, 403, 404, 409, 429, 500};

FakeRequest request(std::string method, std::string path,
                    std::multimap<std::string, std::string> query, std::string token,
                    std::string body = {}) {
    FakeRequest out;
    out.method = std::move(method);
    out.path = "/client/v4" + path;
    out.target = out.path;
    out.query = std::move(query);
    out.headers.emplace("authorization", "Bearer " + token);
    out.headers.emplace("content-type", "application/json");
    out.body = std::move(body);
    return out;
}

bool save(const std::filesystem::path& folder, const std::string& name,
          const FakeResponse& response) {
    std::size_t index = 0;
    while (index < k_statuses.size() && k_statuses[index] != response.status)
        ++index;
    if (index == k_statuses.size()) {
        std::fprintf(stderr, "%s: status %d is not in the table\n", name.c_str(), response.status);
        return false;
    }
    std::ofstream out(folder / (name + ".bin"), std::ios::binary);
    out.put(static_cast<char>(index));
    out << response.body;
    std::printf("%s: HTTP %d, %zu bytes\n", name.c_str(), response.status, response.body.size());
    return out.good();
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s OUT_DIR\n", argv[0]);
        return 2;
    }
    const std::filesystem::path folder(argv[1]);
    std::filesystem::create_directories(folder);
    FakeApi api;
    api.add_token("good-token");
    api.add_token("read-only-token", {.zone_read = true, .dns_read = true, .dns_edit = false});
    const auto zone = api.add_zone("demo.test");
    (void)api.add_zone("demo.test", "fedcba9876543210fedcba9876543210", "pending");
    api.seed_record(zone, "_acme-challenge.demo.test",
                    "\"ZTRx1Ckl1-tM05o5zaizTTA0yUy5AGereMgSNWC6Ll8\"");
    api.seed_record(zone, "_acme-challenge.demo.test",
                    "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA");
    api.seed_record(zone, "_acme-challenge.demo.test", "\"third value\"");
    const std::string records = "/zones/" + zone + "/dns_records";
    const std::string create =
        R"({"type":"TXT","name":"_acme-challenge.demo.test","content":"\"new\"","ttl":120})";
    bool ok = true;
    ok &= save(folder, "fake_zones_by_name",
               api.handle(request("GET", "/zones", {{"name", "demo.test"}}, "good-token")));
    ok &= save(folder, "fake_zone_details",
               api.handle(request("GET", "/zones/" + zone, {}, "good-token")));
    ok &= save(folder, "fake_zones_none",
               api.handle(request("GET", "/zones", {{"name", "nothing.test"}}, "good-token")));
    ok &= save(
        folder, "fake_records_page1",
        api.handle(request("GET", records,
                           {{"type", "TXT"}, {"name", "_acme-challenge.demo.test"}, {"page", "1"}},
                           "good-token")));
    ok &= save(folder, "fake_record_created",
               api.handle(request("POST", records, {}, "good-token", create)));
    ok &= save(folder, "fake_record_duplicate",
               api.handle(request("POST", records, {}, "good-token", create)));
    ok &= save(folder, "fake_record_delete_missing",
               api.handle(request("DELETE", records + "/0123456789abcdef0123456789abcdef", {},
                                  "good-token")));
    ok &= save(folder, "fake_bad_token",
               api.handle(request("GET", "/zones", {{"name", "demo.test"}}, "wrong-token")));
    ok &= save(folder, "fake_no_dns_edit",
               api.handle(request("POST", records, {}, "read-only-token", create)));
    api.throttle_next(1, 2);
    ok &= save(folder, "fake_throttled",
               api.handle(request("GET", "/zones", {{"name", "demo.test"}}, "good-token")));
    return ok ? 0 : 1;
}
