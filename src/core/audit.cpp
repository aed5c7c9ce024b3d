#include "core/audit.hpp"

#include "acme/rfc3339.hpp"
#include "json/json.hpp"

#include <set>

namespace wildcert::core {

std::string audit_line(const AuditEvent& event) {
    json::Writer out;
    out.begin_object()
        .key("time")
        .string(acme::format_rfc3339(std::chrono::system_clock::now()))
        .key("event")
        .string(event.event);
    if (!event.certificate.empty())
        out.key("certificate").string(event.certificate);
    if (!event.names.empty()) {
        out.key("names").begin_array();
        for (const auto& name : event.names)
            out.string(name);
        out.end_array();
    }
    if (!event.serial_hex.empty())
        out.key("serial").string(event.serial_hex);
    if (event.not_after)
        out.key("not_after").string(acme::format_rfc3339(*event.not_after));
    if (!event.deployer.empty())
        out.key("deployer").string(event.deployer);
    if (!event.target.empty())
        out.key("target").string(event.target);
    out.key("outcome").string(event.ok ? "ok" : "failed");
    if (event.elapsed)
        out.key("elapsed_ms").integer(event.elapsed->count());
    if (!event.served.empty()) {
        out.key("served").begin_array();
        for (const auto& [endpoint, sha256] : event.served)
            out.begin_object()
                .key("endpoint")
                .string(endpoint)
                .key("sha256")
                .string(sha256)
                .end_object();
        out.end_array();
    }
    if (!event.detail.empty())
        out.key("detail").string(event.detail);
    out.end_object();
    return out.str();
}

void audit(const Client::State& state, const AuditEvent& event) {
    if (const auto appended = state.state_dir.append_audit(audit_line(event)); !appended.ok())
        state.info("audit: " + appended.error().message);
}

RecordEvents audited_record_events(const Client::State& state, std::string context) {
    RecordEvents events;
    events.changed = [&state, context](const char* event, std::span<const TxtRecord> records,
                                       const Result<void>& result) {
        std::set<std::string> owners;
        std::set<std::string> zones;
        for (const auto& record : records) {
            owners.insert(record.fqdn);
            zones.insert(record.zone);
        }
        std::string detail = std::to_string(records.size()) + " TXT value(s) in ";
        bool first = true;
        for (const auto& zone : zones) {
            detail += (first ? "" : ", ") + zone;
            first = false;
        }
        if (!context.empty())
            detail += " (" + context + ")";
        if (!result.ok())
            detail += ": " + result.error().message;
        audit(state, {.event = event,
                      .names = {owners.begin(), owners.end()},
                      .ok = result.ok(),
                      .detail = detail});
    };
    events.info = [&state](const std::string& line) { state.info(line); };
    return events;
}

} // namespace wildcert::core
