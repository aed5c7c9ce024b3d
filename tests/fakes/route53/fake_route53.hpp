#pragma once
// A faithful local Route 53 (reference §2.11) on 127.0.0.1 for the provider's tests: verifies
// SigV4 itself (scope, 5-minute clock skew, session token), serves ListHostedZonesByName,
// ListHostedZones, GetHostedZone, ListResourceRecordSets, ChangeResourceRecordSets and
// GetChange with the real rules, answers PENDING before INSYNC, throttles on demand, and can
// mirror accepted TXT changes into a real DNS server by RFC 2136.

#include "zone_store.hpp"

#include "dns/update.hpp"

#include <wildcert/result.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace wildcert::fakes::route53 {

struct BindMirror {
    dns::ServerAddress server;
    dns::TsigKey key;
};

struct FakeOptions {
    std::string access_key_id = "AKIDFAKEROUTE53";
    std::string secret_access_key = "fake/secret/KEY+route53+EXAMPLEKEY";
    std::string session_token; // when set, every request must carry it
    std::string region = "us-east-1";
    int polls_until_insync = 1;             // GetChange answers PENDING this many times first
    int throttle_every = 0;                 // every Nth request gets Throttling (0: never)
    bool bare_invalid_change_batch = false; // the <InvalidChangeBatch> root instead
    std::function<std::chrono::system_clock::time_point()> now = [] {
        return std::chrono::system_clock::now();
    };
    std::optional<BindMirror> bind;
    bool log_requests = false; // method, path and status to stderr (never headers)
};

class FakeRoute53 {
public:
    explicit FakeRoute53(FakeOptions options);
    ~FakeRoute53();
    FakeRoute53(const FakeRoute53&) = delete;
    FakeRoute53& operator=(const FakeRoute53&) = delete;

    // Listens on 127.0.0.1:port (0: the OS chooses) and serves from a thread.
    [[nodiscard]] Result<int> start(int port = 0);
    void stop();
    [[nodiscard]] std::string url() const; // "http://127.0.0.1:PORT"

    std::string add_zone(const std::string& name, bool private_zone = false);
    // Seeds or replaces a set directly (values quoted as Route 53 stores them).
    void put_set(const std::string& zone_id, const RecordSet& set);
    // The values of the set at (name, type), or nullopt.
    [[nodiscard]] std::optional<RecordSet> set(const std::string& zone_id, const std::string& name,
                                               const std::string& type = "TXT") const;

    // The next `count` requests get 400 Throttling; the next `count` change requests get
    // 400 PriorRequestNotComplete.
    void throttle_next(int count);
    void prior_request_not_complete_next(int count);
    void set_polls_until_insync(int polls);

    [[nodiscard]] int accepted_batches() const;
    [[nodiscard]] int get_change_calls() const;
    [[nodiscard]] int throttled_requests() const;
    // Every change batch accepted so far, as (zone id, changes).
    [[nodiscard]] std::vector<std::vector<Change>> batches() const;

    struct Impl;

private:
    std::unique_ptr<Impl> m_impl;
};

} // namespace wildcert::fakes::route53
