#include "cli/probe_command.hpp"

#include "acme/rfc3339.hpp"
#include "cli/exit_codes.hpp"
#include "cli/opened_store.hpp"
#include "cli/profile_paths.hpp"
#include "cli/report.hpp"
#include "common/parallel_for.hpp"
#include "deployers/endpoint_verification.hpp"
#include "json/json.hpp"

#include <wildcert/certificate_store.hpp>

#include <algorithm>
#include <iostream>
#include <map>

namespace wildcert::cli {
namespace {

using Clock = std::chrono::system_clock;

// Endpoints asked at once, and how long one may take.
constexpr std::size_t k_probe_concurrency = 8;
constexpr std::chrono::seconds k_probe_limit{5};

struct Probe {
    std::string certificate;
    VerifyEndpoint endpoint;
    std::string default_sni;
    std::optional<StoredCertificate> live;
    Result<deployers::ServedCertificate> served = make_error(ErrorKind::network, "not probed");

    // live: serves the live version; stale: another certificate; unreachable; no-live: the
    // state directory has no certificate of this name.
    [[nodiscard]] std::string state() const {
        if (!served.ok())
            return "unreachable";
        if (!live)
            return "no-live-certificate";
        const bool same = served->serial_hex == live->report.serial_hex && live->report.not_after &&
                          std::chrono::duration_cast<std::chrono::seconds>(served->not_after -
                                                                           *live->report.not_after)
                                  .count() == 0;
        return same ? "live" : "stale";
    }
};

std::string default_sni(const CertificateSettings& certificate) {
    for (const auto& domain : certificate.domains) {
        if (domain.rfind("*.", 0) != 0)
            return domain;
    }
    return certificate.domains.empty() ? "" : "www." + certificate.domains.front().substr(2);
}

long long days_left(Clock::time_point not_after, Clock::time_point now) {
    return std::chrono::duration_cast<std::chrono::hours>(not_after - now).count() / 24;
}

void write_json(const std::vector<Probe>& probes, Clock::time_point now, bool ok) {
    json::Writer out;
    out.begin_object().key("endpoints").begin_array();
    for (const auto& probe : probes) {
        out.begin_object()
            .key("certificate")
            .string(probe.certificate)
            .key("endpoint")
            .string(deployers::endpoint_name(probe.endpoint, probe.default_sni))
            .key("address")
            .string(probe.endpoint.address)
            .key("sni")
            .string(probe.endpoint.sni.empty() ? probe.default_sni : probe.endpoint.sni)
            .key("state")
            .string(probe.state());
        out.key("live_serial").string(probe.live ? probe.live->report.serial_hex : "");
        if (probe.served.ok()) {
            const auto& served = *probe.served;
            out.key("serial").string(served.serial_hex).key("subject").string(served.subject);
            out.key("dns_names").begin_array();
            for (const auto& name : served.dns_names)
                out.string(name);
            out.end_array();
            out.key("not_after").string(acme::format_rfc3339(served.not_after));
            out.key("days_left").integer(days_left(served.not_after, now));
            out.key("sha256").string(served.sha256_hex);
            out.key("error").raw("null");
        } else {
            out.key("error").string(probe.served.error().message);
        }
        out.end_object();
    }
    out.end_array().key("ok").boolean(ok).end_object();
    std::cout << out.str() << std::endl;
}

void write_text(const std::vector<Probe>& probes, Clock::time_point now) {
    for (const auto& probe : probes) {
        std::string line = probe.certificate + "  " +
                           deployers::endpoint_name(probe.endpoint, probe.default_sni) + "  " +
                           probe.state();
        if (probe.served.ok()) {
            const auto& served = *probe.served;
            line += "  serial " + served.serial_hex + "  " +
                    std::to_string(days_left(served.not_after, now)) + " days left  " +
                    served.subject;
            if (probe.state() == "stale" && probe.live)
                line += "  (live: serial " + probe.live->report.serial_hex + ")";
        } else {
            line += "  " + probe.served.error().message;
        }
        std::cout << line << '\n';
    }
}

} // namespace

int run_probe(const Arguments& arguments) {
    const auto now = Clock::now();
    auto opened = open_store(arguments);
    if (!opened.ok())
        return report_failure(opened.error());
    auto& stored = opened->certificates;
    std::map<std::string, StoredCertificate> live;
    for (auto& certificate : stored)
        live.emplace(certificate.report.name, std::move(certificate));

    auto paths = expand_profile_paths(arguments.profiles);
    if (!paths.ok())
        return report_failure(paths.error());
    std::vector<Probe> probes;
    for (const auto& path : *paths) {
        auto loaded = load_profile_certificates(path);
        if (!loaded.ok())
            return report_failure(loaded.error());
        for (const auto& certificate : loaded->certificates) {
            if (!arguments.certificates.empty() &&
                std::find(arguments.certificates.begin(), arguments.certificates.end(),
                          certificate.name) == arguments.certificates.end())
                continue;
            std::optional<StoredCertificate> current;
            if (const auto found = live.find(certificate.name); found != live.end())
                current = found->second;
            for (const auto& entry : certificate.deploy) {
                std::vector<const VerifyEndpoint*> endpoints;
                for (const auto& endpoint : entry.verify)
                    endpoints.push_back(&endpoint);
                for (const auto& target : entry.targets)
                    for (const auto& endpoint : target.verify)
                        endpoints.push_back(&endpoint);
                for (const auto* endpoint : endpoints)
                    probes.push_back(Probe{.certificate = certificate.name,
                                           .endpoint = *endpoint,
                                           .default_sni = default_sni(certificate),
                                           .live = current});
            }
        }
    }
    parallel_for(probes.size(), std::clamp<std::size_t>(probes.size(), 1, k_probe_concurrency),
                 [&](std::size_t i) {
                     probes[i].served = deployers::probe_endpoint(
                         probes[i].endpoint, probes[i].default_sni,
                         std::chrono::steady_clock::now() + k_probe_limit);
                 });
    const bool ok = std::all_of(probes.begin(), probes.end(),
                                [](const Probe& probe) { return probe.state() == "live"; });
    if (arguments.json)
        write_json(probes, now, ok);
    else if (probes.empty())
        std::cout << "no verify endpoints in the profile's [[certificate.deploy]] entries\n";
    else
        write_text(probes, now);
    return ok ? k_exit_ok : k_exit_failed;
}

} // namespace wildcert::cli
