#pragma once
// The report Client::check builds, item by item, and the parts of the check that have files
// of their own (preflight.cpp runs them in order).

#include "core/client_state.hpp"

#include <wildcert/preflight.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace wildcert::core {

// A preflight asks each server once; a server that has not answered by then is reported, not
// waited for.
inline constexpr std::chrono::milliseconds k_preflight_query_timeout{3000};

class Checks {
public:
    void add(std::string subject, CheckStatus status, std::string detail) {
        m_report.checks.push_back({std::move(subject), status, std::move(detail)});
    }
    [[nodiscard]] PreflightReport take() { return std::move(m_report); }

private:
    PreflightReport m_report;
};

// Where a TXT record of the certificates goes: owner name (after aliases) and its zone.
struct ChallengeOwner {
    std::string fqdn;
    std::string zone;
};

// Every folder of the state directory that a run of `certificates` writes in, and audit.log:
// "state <path>" fails where this process cannot create a file (store/write_probe.hpp), naming
// why and the fix; one ok item when all can be written.
void check_state_writable(const Client::State& state,
                          const std::vector<CertificateSettings>& certificates, Checks& checks);

// RFC 1982 §3.2: serial `a` is later than `b` (serials wrap around at 2^32; two that are
// exactly 2^31 apart are not comparable: neither is later).
[[nodiscard]] bool later_serial(std::uint32_t a, std::uint32_t b);

// Every address of every nameserver of `zone` (or the profile's explicit nameservers), each
// asked once for the zone's SOA. A server whose serial is older than another's is a warning
// that shows both serials: it has not transferred the zone's latest version.
void check_nameservers(const Client::State& state, const std::string& zone, Checks& checks);

// DnsProvider::check_permission for each owner, with a random value: "permission <owner>"
// fails where the provider refuses the change. A provider that cannot probe gives one warning.
void check_permissions(Client::State& state, const std::vector<ChallengeOwner>& owners,
                       Checks& checks);

// Each target of each [[certificate.deploy]] entry that is not a command: "deploy <name>
// <type> <target>", ok when Deployer::check_access says it can be reached and written.
void check_deploy_targets(const Client::State& state,
                          const std::vector<CertificateSettings>& certificates, Checks& checks);

} // namespace wildcert::core
