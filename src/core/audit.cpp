#include "core/audit.hpp"

#include "acme/rfc3339.hpp"
#include "json/json.hpp"

namespace wildcert::core {

void audit(const Client::State& state, const AuditEvent& event) {
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
    out.key("outcome").string(event.ok ? "ok" : "failed");
    if (!event.detail.empty())
        out.key("detail").string(event.detail);
    out.end_object();
    if (const auto appended = state.state_dir.append_audit(out.str()); !appended.ok())
        state.info("audit: " + appended.error().message);
}

} // namespace wildcert::core
