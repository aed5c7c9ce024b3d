#include "providers/rfc2136/rfc2136_provider.hpp"

#include "dns/update.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <optional>
#include <vector>

namespace wildcert::providers::rfc2136 {
namespace {

// An update that takes longer than this is stuck, not slow.
constexpr std::chrono::milliseconds k_max_timeout = std::chrono::hours(1);
// A TXT change takes at most about 330 bytes on the wire (a 255-byte owner name, the value,
// the fixed fields); 150 of them stay far below the 65535-byte TCP message limit.
constexpr std::size_t k_changes_per_update = 150;

constexpr std::array<SettingDescriptor, 5> k_settings{{
    {"server", "WILDCERT_RFC2136_SERVER", SettingType::string, "", true, false,
     "primary server that accepts the updates, host or host:port (port 53 by default)"},
    {"tsig_key", "WILDCERT_RFC2136_TSIG_KEY", SettingType::string, "", true, false,
     "name of the TSIG key as the server knows it"},
    {"tsig_algorithm", "WILDCERT_RFC2136_TSIG_ALGORITHM", SettingType::string, "hmac-sha256", false,
     false, "hmac-sha256, hmac-sha512, hmac-sha1 or hmac-md5"},
    {"tsig_secret", "WILDCERT_RFC2136_TSIG_SECRET", SettingType::string, "", true, true,
     "base64 TSIG secret, as tsig-keygen prints it"},
    {"timeout", "", SettingType::duration, "10s", false, false,
     "how long one update may take in all (connect, send, the whole answer), however "
     "slowly the server answers"},
}};

std::string zone_key(std::string_view zone) {
    std::string key(zone);
    std::transform(key.begin(), key.end(), key.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (key.empty() || key.back() != '.')
        key.push_back('.');
    return key;
}

class Rfc2136Provider final : public DnsProvider {
public:
    Rfc2136Provider(dns::ServerAddress server, dns::TsigKey key, dns::UpdateOptions options)
        : m_server(std::move(server)), m_key(std::move(key)), m_options(options) {}

    Result<void> add(std::span<const TxtRecord> records) override {
        return apply(records, &dns::add_txt);
    }

    // Deleting one RR that is not there is a no-op for the server (RFC 2136 §3.4.2.4), so
    // removing twice is success.
    Result<void> remove(std::span<const TxtRecord> records) override {
        return apply(records, &dns::remove_txt);
    }

    // A prerequisite-only UPDATE per zone (dns::check_update_access): the server checks the
    // TSIG signature and the zone, and nothing changes.
    Result<AccessCheck> check_access(std::span<const std::string> zones) override {
        std::vector<std::string> checked;
        for (const auto& zone : zones) {
            const auto key = zone_key(zone);
            if (std::find(checked.begin(), checked.end(), key) != checked.end())
                continue;
            if (auto done = dns::check_update_access(m_server, m_key, key, m_options); !done)
                return done.error().with_context("rfc2136");
            checked.push_back(key);
        }
        std::string list;
        for (const auto& zone : checked)
            list += (list.empty() ? "" : ", ") + zone;
        return AccessCheck{true, "TSIG key " + m_key.name + " accepted by " + m_server.to_string() +
                                     " for updates of " + list +
                                     " (prerequisite-only UPDATE, nothing changed)"};
    }

    // One add-then-delete UPDATE per zone (dns::probe_txt_update): the server checks its
    // policy for every record and the zone ends as it was. A refused message is sent again
    // name by name, so that each refused name is reported, and only those.
    std::vector<Result<PermissionCheck>>
    check_permission(std::span<const TxtRecord> records) override {
        std::vector<std::optional<Result<PermissionCheck>>> found(records.size());
        std::map<std::string, std::vector<std::size_t>> by_zone;
        for (std::size_t i = 0; i < records.size(); ++i)
            by_zone[zone_key(records[i].zone)].push_back(i);
        for (const auto& [zone, indexes] : by_zone) {
            // Two records per change: half of what one message of apply() carries.
            for (std::size_t start = 0; start < indexes.size(); start += k_changes_per_update / 2) {
                const auto end = std::min(indexes.size(), start + k_changes_per_update / 2);
                const std::vector<std::size_t> part(indexes.begin() + static_cast<long>(start),
                                                    indexes.begin() + static_cast<long>(end));
                probe(zone, records, part, found);
            }
        }
        std::vector<Result<PermissionCheck>> results;
        for (auto& result : found)
            results.push_back(std::move(*result));
        return results;
    }

private:
    using Found = std::vector<std::optional<Result<PermissionCheck>>>;

    void probe(const std::string& zone, std::span<const TxtRecord> records,
               const std::vector<std::size_t>& part, Found& found) const {
        std::vector<dns::TxtChange> changes;
        for (const auto i : part)
            changes.push_back(dns::TxtChange{records[i].fqdn, records[i].value, records[i].ttl});
        const auto done = dns::probe_txt_update(m_server, m_key, zone, changes, m_options);
        if (!done && done.error().kind == ErrorKind::refused && part.size() > 1) {
            for (const auto i : part)
                probe(zone, records, {i}, found);
            return;
        }
        for (const auto i : part) {
            if (done) {
                found[i] = PermissionCheck{
                    true, "TSIG key " + m_key.name + " may add and delete TXT records here (" +
                              m_server.to_string() +
                              " accepted an UPDATE that added a random value and deleted it "
                              "again; the zone is unchanged)"};
            } else if (done.error().kind == ErrorKind::refused) {
                // The rule that grants exactly what a run needs here, in BIND's syntax.
                auto refused = done.error().with_context("rfc2136");
                refused.message += " (BIND: update-policy { grant " + m_key.name + " name " +
                                   zone_key(records[i].fqdn) + " TXT; };)";
                found[i] = std::move(refused);
            } else {
                found[i] = done.error().with_context("rfc2136");
            }
        }
    }

    using Operation = Result<void> (*)(const dns::ServerAddress&, const dns::TsigKey&,
                                       std::string_view, std::span<const dns::TxtChange>,
                                       const dns::UpdateOptions&);

    // One UPDATE per zone (an UPDATE message names exactly one zone, RFC 2136 §2.3), split
    // into messages of at most k_changes_per_update records: a DNS message over TCP is at most
    // 65535 bytes (RFC 1035 §4.2.2), and a fleet of a thousand wildcard+apex certificates
    // publishes 2000 values in one zone. Each part is idempotent, so a failed part is simply
    // sent again by the next attempt or cleaned up from the journal. ErrorKind::refused
    // promises that nothing of the call changed: a refusal after an earlier message of the
    // same call was applied is reported as ErrorKind::dns.
    Result<void> apply(std::span<const TxtRecord> records, Operation operation) const {
        std::map<std::string, std::vector<dns::TxtChange>> by_zone;
        for (const auto& record : records)
            by_zone[zone_key(record.zone)].push_back(
                dns::TxtChange{record.fqdn, record.value, record.ttl});
        bool applied = false;
        for (const auto& [zone, changes] : by_zone) {
            const std::span<const dns::TxtChange> all(changes);
            for (std::size_t start = 0; start < all.size(); start += k_changes_per_update) {
                const auto part =
                    all.subspan(start, std::min(k_changes_per_update, all.size() - start));
                if (auto done = operation(m_server, m_key, zone, part, m_options); !done) {
                    auto error = done.error().with_context("rfc2136");
                    if (applied && error.kind == ErrorKind::refused)
                        error.kind = ErrorKind::dns;
                    return error;
                }
                applied = true;
            }
        }
        return {};
    }

    dns::ServerAddress m_server;
    dns::TsigKey m_key;
    dns::UpdateOptions m_options;
};

Result<std::unique_ptr<DnsProvider>> create(const ProviderDescriptor& descriptor,
                                            const ProviderConfig& config, const ProviderContext&) {
    WILDCERT_TRY(auto settings, Settings::resolve(descriptor, config));

    const auto timeout = settings.duration("timeout").value_or(std::chrono::seconds(10));
    if (timeout < std::chrono::seconds(1) || timeout > k_max_timeout)
        return settings.error("timeout", "must be from 1s to 1h");

    // A server given by name is looked up once, here, within the exchange timeout.
    const auto server_text = settings.string("server").value_or("");
    auto server = dns::parse_server_address(
        server_text, std::chrono::duration_cast<std::chrono::milliseconds>(timeout));
    if (!server)
        return settings.error("server", server.error().message);

    auto algorithm = dns::parse_tsig_algorithm(settings.string("tsig_algorithm").value_or(""));
    if (!algorithm)
        return settings.error("tsig_algorithm", algorithm.error().message);

    const auto key_name = settings.string("tsig_key").value_or("");
    if (key_name.empty())
        return settings.error("tsig_key", "must not be empty");

    auto secret = settings.string("tsig_secret").value_or("");
    if (auto checked = dns::check_tsig_secret(secret); !checked)
        return settings.error("tsig_secret", checked.error().message);

    dns::UpdateOptions options;
    options.timeout = timeout;
    return std::unique_ptr<DnsProvider>(std::make_unique<Rfc2136Provider>(
        std::move(server).value(), dns::TsigKey{key_name, algorithm.value(), std::move(secret)},
        options));
}

} // namespace

const ProviderDescriptor k_descriptor{
    "rfc2136",
    "RFC 2136 dynamic update with TSIG (BIND, Knot, PowerDNS, ...)",
    k_settings,
    &create,
};

} // namespace wildcert::providers::rfc2136
