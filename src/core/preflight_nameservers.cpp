// check_nameservers: one SOA question to every address of every nameserver of a zone.

#include "core/preflight_checks.hpp"
#include "dns/soa_probe.hpp"

#include <cstdint>
#include <optional>

namespace wildcert::core {
namespace {

struct Answer {
    std::string subject;
    Result<std::optional<std::uint32_t>> serial;
};

} // namespace

bool later_serial(std::uint32_t a, std::uint32_t b) {
    constexpr std::uint32_t k_half = 1u << 31;
    return a != b && ((a > b && a - b < k_half) || (a < b && b - a > k_half));
}

void check_nameservers(const Client::State& state, const std::string& zone, Checks& checks) {
    std::vector<dns::AuthoritativeServer> servers;
    for (const auto& text : state.profile.dns.nameservers) {
        auto address = dns::parse_server_address(text);
        if (!address.ok()) {
            checks.add("nameserver " + text, CheckStatus::failed, address.error().message);
            continue;
        }
        servers.push_back({.name = text, .address = std::move(address).value()});
    }
    if (state.profile.dns.nameservers.empty()) {
        auto found = state.discovery.authoritative_servers(zone);
        if (!found.ok()) {
            checks.add("nameservers of " + zone, CheckStatus::failed, found.error().message);
            return;
        }
        servers = std::move(found).value();
    }
    std::vector<Answer> answers;
    // The latest serial any server serves, and the first server that serves it.
    std::optional<std::uint32_t> latest;
    std::string latest_at;
    for (const auto& server : servers) {
        Answer answer{"nameserver " + server.name + " (" + server.address.to_string() + ")",
                      dns::probe_soa_serial(server.address, zone, k_preflight_query_timeout)};
        if (answer.serial.ok() && *answer.serial &&
            (!latest || later_serial(**answer.serial, *latest))) {
            latest = **answer.serial;
            latest_at = answer.subject.substr(std::string("nameserver ").size());
        }
        answers.push_back(std::move(answer));
    }
    for (const auto& [subject, serial] : answers) {
        if (!serial.ok()) {
            checks.add(subject, CheckStatus::failed, "unreachable: " + serial.error().message);
        } else if (!*serial) {
            checks.add(subject, CheckStatus::failed,
                       "lame: answers without the SOA of " + zone + " (not serving the zone)");
        } else if (**serial != *latest) {
            // A secondary behind its primary: the records a run adds reach it only with the
            // next transfer, and the run waits for every server.
            checks.add(subject, CheckStatus::warning,
                       "serves " + zone + " with SOA serial " + std::to_string(**serial) +
                           ", older than serial " + std::to_string(*latest) + " at " + latest_at +
                           ": it has not transferred the zone's latest version; check that the "
                           "primary notifies it (notify, also-notify) and lets it transfer "
                           "(allow-transfer), or a run may wait for it until "
                           "dns.propagation_timeout");
        } else {
            checks.add(subject, CheckStatus::ok,
                       "serves " + zone + " (SOA serial " + std::to_string(**serial) + ")");
        }
    }
}

} // namespace wildcert::core
