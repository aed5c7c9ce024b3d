#include "core/deployment.hpp"

#include "acme/rfc3339.hpp"
#include "core/deploy_hooks.hpp"
#include "core/outputs.hpp"

namespace wildcert::core {

DeployReport DeployRunner::deploy(const DeployTarget& target) const {
    const auto& certificate = *target.certificate;
    DeployReport report;
    if (!target.dry_run && !certificate.outputs.empty()) {
        report.ran = true;
        auto written = write_outputs(certificate, target.files);
        if (!written.ok()) {
            report.ok = false;
            report.failure = written.error().message;
            m_audit({.event = "outputs-written",
                     .certificate = certificate.name,
                     .serial_hex = target.serial_hex,
                     .ok = false,
                     .detail = report.failure});
            return report;
        }
        std::string paths;
        for (const auto& path : *written)
            paths += (paths.empty() ? "" : " ") + path.string();
        m_audit({.event = "outputs-written",
                 .certificate = certificate.name,
                 .serial_hex = target.serial_hex,
                 .detail = paths});
        report.outputs = std::move(written).value();
        m_log.info("deploy: wrote " + std::to_string(report.outputs.size()) + " output(s) of " +
                   certificate.name);
    }
    if (certificate.deploy.empty() || !target.run_hooks)
        return report;
    report.ran = true;
    DeployContext context{
        .name = certificate.name,
        .domains = certificate.domains,
        .live_dir = target.live_dir,
        .cert = target.live_dir / "cert.pem",
        .chain = target.live_dir / "chain.pem",
        .fullchain = target.live_dir / "fullchain.pem",
        .key = target.live_dir / "privkey.pem",
        .outputs = report.outputs,
        .serial_hex = target.serial_hex,
        .not_after = acme::format_rfc3339(target.not_after),
        .dry_run = target.dry_run,
    };
    for (auto& hook : run_deploy_hooks(certificate.deploy, context, m_hook_sink, m_cancelled)) {
        if (!target.dry_run)
            m_audit({.event = "hook-run",
                     .certificate = certificate.name,
                     .serial_hex = target.serial_hex,
                     .ok = hook.ok,
                     .detail = hook.command + (hook.ok ? "" : ": " + hook.failure)});
        if (!hook.ok && report.ok) {
            report.ok = false;
            report.failure = hook.command + ": " + hook.failure;
        }
        report.hooks.push_back(HookReport{
            .command = std::move(hook.command),
            .ok = hook.ok,
            .failure = std::move(hook.failure),
            .output_tail = std::move(hook.output_tail),
            .elapsed = hook.elapsed,
        });
    }
    return report;
}

} // namespace wildcert::core
