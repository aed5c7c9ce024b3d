#pragma once
// The four Route 53 operations wildcert needs (API version 2013-04-01, REST-XML), each signed
// with SigV4. Throttling and PriorRequestNotComplete are sent again after a growing pause,
// a bounded number of times; every other error is returned with the AWS code and message.

#include "http/http_client.hpp"
#include "providers/route53/sigv4.hpp"

#include <wildcert/result.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace wildcert::providers::route53 {

// The clock (for X-Amz-Date) and the pause between attempts, injectable for tests.
struct Hooks {
    std::function<std::chrono::system_clock::time_point()> now;
    std::function<void(std::chrono::milliseconds)> sleep;
    // SIGINT/SIGTERM (ProviderContext::cancelled): a wait ends early and the call says so.
    std::function<bool()> cancelled;

    [[nodiscard]] bool stopped() const { return cancelled && cancelled(); }
    // The real clock, and sleeps that end as soon as `cancelled` says so.
    [[nodiscard]] static Hooks system(std::function<bool()> cancelled = {});
};

struct HostedZone {
    std::string id;   // bare id, "Z1D633PJN98FT9" (the "/hostedzone/" prefix is removed)
    std::string name; // "example.com." as Route 53 spells it
    bool private_zone = false;
};

struct HostedZonePage {
    std::vector<HostedZone> zones;
    bool truncated = false;
    std::string next_dns_name;
    std::string next_zone_id;
};

struct TxtSet {
    std::string name; // absolute, lower case, escapes decoded
    std::chrono::seconds ttl{0};
    std::vector<std::string> values; // as stored: quoted character strings
};

enum class ChangeAction { create, upsert, remove };

struct RecordChange {
    ChangeAction action = ChangeAction::upsert;
    TxtSet set;
};

struct ApiOptions {
    std::string api_url; // "https://route53.amazonaws.com", no trailing slash
    std::string region;  // signing region: "us-east-1" in the aws partition
    sigv4::Credentials credentials;
    int max_attempts = 8;
    std::chrono::milliseconds first_backoff{250};
    std::chrono::milliseconds max_backoff{5000};
    http::Options http; // User-Agent, deadline, ca_bundle (providers/common/http_settings.hpp)
};

class Api {
public:
    // Fails when api_url is not an absolute http(s) URL without a query.
    [[nodiscard]] static Result<Api> create(ApiOptions options, Hooks hooks);

    // ListHostedZonesByName from `dns_name` (and `zone_id` when paging), up to 100 zones.
    [[nodiscard]] Result<HostedZonePage> list_hosted_zones_by_name(const std::string& dns_name,
                                                                   const std::string& zone_id);
    // The TXT set at exactly `fqdn`, or nullopt: ListResourceRecordSets is a start position,
    // not a filter, so the first set returned is checked for name and type.
    [[nodiscard]] Result<std::optional<TxtSet>> txt_set(const std::string& zone_id,
                                                        const std::string& fqdn);
    // ChangeResourceRecordSets with one batch (applied atomically); returns the change id.
    [[nodiscard]] Result<std::string> change(const std::string& zone_id,
                                             const std::vector<RecordChange>& changes);
    // GetChange: "PENDING" or "INSYNC".
    [[nodiscard]] Result<std::string> change_status(const std::string& change_id);

    [[nodiscard]] Hooks& hooks() { return m_hooks; }

private:
    Api(ApiOptions options, Hooks hooks, std::string base_url, std::string host);

    // Signs and sends `target` (path and query below api_url), retrying throttling; returns
    // the body of a 2xx answer. `what` names the operation for errors.
    [[nodiscard]] Result<std::string> call(const std::string& method, const std::string& target,
                                           const std::string& body, const std::string& what);
    [[nodiscard]] http::Request signed_request(const std::string& method, const std::string& target,
                                               const std::string& body) const;

    ApiOptions m_options;
    Hooks m_hooks;
    std::string m_base_url; // origin plus any path of api_url, without a trailing slash
    std::string m_host;     // Host header value, signed
    http::Client m_client;
};

// The ChangeResourceRecordSetsRequest document for `changes` (elements in the order the API
// requires: Name, Type, TTL, ResourceRecords).
[[nodiscard]] std::string change_batch_xml(const std::vector<RecordChange>& changes);

// "example.com" / "Example.COM." -> "example.com."; Route 53's "\052"-style octal escapes
// are decoded so names compare as text.
[[nodiscard]] std::string normalize_name(std::string_view name);

} // namespace wildcert::providers::route53
