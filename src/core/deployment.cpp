#include "core/deployment.hpp"

#include "acme/rfc3339.hpp"
#include "common/parallel_for.hpp"
#include "common/secure_wipe.hpp"
#include "core/outputs.hpp"
#include "crypto/certificate.hpp"
#include "deployers/command/command_hooks.hpp"
#include "deployers/descriptor.hpp"
#include "deployers/endpoint_verification.hpp"

#include <algorithm>

namespace wildcert::core {
namespace {

using Steady = std::chrono::steady_clock;

// Targets of one entry deployed at once: SSH pushes and HAProxy sockets mostly wait.
constexpr std::size_t k_target_concurrency = 8;

std::chrono::milliseconds since(Steady::time_point start) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Steady::now() - start);
}

std::string state_key(std::size_t entry, const std::string& target) {
    return std::to_string(entry) + " " + target;
}

// What every part of one deploy shares.
struct Deploying {
    const DeployTarget& target;
    const CertificateSettings& certificate;
    const ProgressLog& log;
    const LogSink& hook_sink;
    const std::function<bool()>& cancelled;
    const AuditSink& audit;
    deployers::DeployInput input;
    std::string new_sha256; // of the new leaf's DER; "" when it does not parse
    std::string default_sni;
    DeployReport& report;

    bool done_before(std::size_t entry, const std::string& name) const {
        const auto key = state_key(entry, name);
        return std::find(target.already_deployed.begin(), target.already_deployed.end(), key) !=
               target.already_deployed.end();
    }

    void fail(const std::string& why) {
        if (report.ok) {
            report.ok = false;
            report.failure = why;
        }
    }

    // Every endpoint in `endpoints`, in order; the first mismatch is the failure.
    std::optional<std::string> verify(const std::vector<VerifyEndpoint>& endpoints,
                                      const DeploySettings& entry,
                                      std::vector<std::pair<std::string, std::string>>& served) {
        if (target.dry_run || endpoints.empty())
            return std::nullopt;
        if (new_sha256.empty())
            return "the new certificate does not parse; nothing to compare with";
        for (const auto& endpoint : endpoints) {
            const auto outcome = deployers::verify_endpoint(endpoint, new_sha256, default_sni,
                                                            entry.verify_timeout, cancelled);
            served.emplace_back(deployers::endpoint_name(endpoint, default_sni),
                                outcome.served_sha);
            if (!outcome.ok)
                return outcome.failure;
            log.info("deploy: " + served.back().first + " serves the new certificate");
        }
        return std::nullopt;
    }

    void record(const TargetReport& done) {
        if (target.dry_run)
            return;
        audit({.event = "deploy",
               .certificate = certificate.name,
               .serial_hex = target.serial_hex,
               .ok = done.ok,
               .detail = done.failure,
               .deployer = done.type,
               .target = done.target,
               .elapsed = done.elapsed,
               .served = done.served});
    }
};

// type = "command": the program runs with the WILDCERT_* environment. false: it failed, and
// the entries after it do not run.
bool deploy_command(Deploying& run, std::size_t index) {
    const auto& entry = run.certificate.deploy[index];
    const std::string name = "command";
    if (run.done_before(index, name)) {
        run.report.targets.push_back(TargetReport{.entry = index,
                                                  .type = entry.type,
                                                  .target = name,
                                                  .already_deployed = true,
                                                  .ok = true});
        return true;
    }
    const deployers::DeployContext context{
        .name = run.certificate.name,
        .domains = run.certificate.domains,
        .live_dir = run.target.live_dir,
        .cert = run.target.live_dir / "cert.pem",
        .chain = run.target.live_dir / "chain.pem",
        .fullchain = run.target.live_dir / "fullchain.pem",
        .key = run.target.live_dir / "privkey.pem",
        .outputs = run.report.outputs,
        .serial_hex = run.target.serial_hex,
        .not_after = acme::format_rfc3339(run.target.not_after),
        .dry_run = run.target.dry_run,
    };
    const auto start = Steady::now();
    auto outcomes = deployers::run_deploy_hooks({entry}, context, run.hook_sink, run.cancelled);
    bool ok = !outcomes.empty() && outcomes.front().ok;
    std::string failure;
    for (auto& hook : outcomes) {
        if (!run.target.dry_run)
            run.audit({.event = "hook-run",
                       .certificate = run.certificate.name,
                       .serial_hex = run.target.serial_hex,
                       .ok = hook.ok,
                       .detail = hook.command + (hook.ok ? "" : ": " + hook.failure)});
        if (!hook.ok)
            failure = hook.command + ": " + hook.failure;
        run.report.hooks.push_back(HookReport{
            .command = std::move(hook.command),
            .ok = hook.ok,
            .failure = std::move(hook.failure),
            .output_tail = std::move(hook.output_tail),
            .elapsed = hook.elapsed,
        });
    }
    TargetReport done{.entry = index, .type = entry.type, .target = name, .ok = ok};
    if (ok) {
        if (auto mismatch = run.verify(entry.verify, entry, done.served)) {
            done.ok = ok = false;
            failure = *mismatch;
        }
    }
    done.failure = failure;
    done.elapsed = since(start);
    // A command is audited as hook-run above; a deploy event only adds what it served.
    if (!done.served.empty())
        run.record(done);
    run.report.targets.push_back(std::move(done));
    if (!ok)
        run.fail(failure.empty() ? entry.shown + ": not run" : failure);
    return ok;
}

// Any other type: its deployer, each target not done before, a few at a time.
void deploy_targets(Deploying& run, std::size_t index) {
    const auto& entry = run.certificate.deploy[index];
    if (run.target.dry_run && !entry.dry_run)
        return;
    auto created = deployers::create_deployer(entry, deployers::DeployerContext{run.cancelled});
    if (!created.ok()) {
        TargetReport failed{.entry = index,
                            .type = entry.type,
                            .target = entry.key_path,
                            .failure = created.error().message};
        run.record(failed);
        run.report.targets.push_back(std::move(failed));
        run.fail(created.error().message);
        return;
    }
    auto& deployer = **created;
    const auto names = deployer.targets();
    std::vector<TargetReport> results(names.size());
    parallel_for(names.size(), std::clamp<std::size_t>(names.size(), 1, k_target_concurrency),
                 [&](std::size_t i) {
                     auto& done = results[i];
                     done.entry = index;
                     done.type = entry.type;
                     done.target = names[i];
                     if (run.done_before(index, names[i])) {
                         done.already_deployed = done.ok = true;
                         return;
                     }
                     const auto start = Steady::now();
                     if (run.cancelled && run.cancelled()) {
                         done.failure = "not started: interrupted";
                         return;
                     }
                     auto deployed = deployer.deploy(run.input, i);
                     done.ok = deployed.ok();
                     if (!deployed.ok())
                         done.failure = deployed.error().message;
                     else if (i < entry.targets.size()) {
                         if (auto mismatch =
                                 run.verify(entry.targets[i].verify, entry, done.served)) {
                             done.ok = false;
                             done.failure = *mismatch;
                         }
                     }
                     done.elapsed = since(start);
                 });
    // The entry's own endpoints, once every target has the new certificate.
    const bool all_ok =
        std::all_of(results.begin(), results.end(), [](const auto& done) { return done.ok; });
    if (all_ok && !entry.verify.empty()) {
        std::vector<std::pair<std::string, std::string>> served;
        if (auto mismatch = run.verify(entry.verify, entry, served)) {
            for (auto& done : results) {
                done.ok = false;
                done.already_deployed = false;
                done.failure = *mismatch;
            }
        }
        for (auto& done : results)
            done.served.insert(done.served.end(), served.begin(), served.end());
    }
    for (auto& done : results) {
        if (!done.already_deployed)
            run.record(done);
        if (done.ok && !done.already_deployed)
            run.log.info("deploy: " + entry.type + " " + done.target + ": done");
        if (!done.ok) {
            run.log.info("deploy: " + entry.type + " " + done.target + ": " + done.failure);
            run.fail(entry.type + " " + done.target + ": " + done.failure);
        }
        run.report.targets.push_back(std::move(done));
    }
}

} // namespace

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
    Deploying run{
        .target = target,
        .certificate = certificate,
        .log = m_log,
        .hook_sink = m_hook_sink,
        .cancelled = m_cancelled,
        .audit = m_audit,
        .input = {.certificate_name = certificate.name,
                  .domains = certificate.domains,
                  .cert_pem = target.files.cert_pem,
                  .chain_pem = target.files.chain_pem,
                  .fullchain_pem = target.files.fullchain_pem,
                  .privkey_pem = target.files.privkey_pem,
                  .serial_hex = target.serial_hex,
                  .dry_run = target.dry_run},
        .new_sha256 = {},
        .default_sni = {},
        .report = report,
    };
    if (const auto chain = crypto::parse_pem_chain(target.files.cert_pem);
        chain.ok() && !chain->empty())
        run.new_sha256 = chain->front().sha256_hex;
    // A wildcard is no server name: its apex, or the first plain name, is sent instead.
    for (const auto& domain : certificate.domains) {
        if (domain.rfind("*.", 0) != 0) {
            run.default_sni = domain;
            break;
        }
    }
    if (run.default_sni.empty() && !certificate.domains.empty())
        run.default_sni = "www." + certificate.domains.front().substr(2);
    for (std::size_t i = 0; i < certificate.deploy.size(); ++i) {
        if (certificate.deploy[i].type == "command") {
            if (!deploy_command(run, i))
                break;
            continue;
        }
        deploy_targets(run, i);
    }
    secure_wipe(run.input.privkey_pem);
    return report;
}

} // namespace wildcert::core
