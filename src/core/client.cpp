#include <wildcert/client.hpp>

#include "config/output_location.hpp"
#include "core/batch.hpp"
#include "core/client_state.hpp"
#include "core/dry_run_directory.hpp"
#include "core/issuance.hpp"
#include "core/pipeline.hpp"
#include "core/renewal_decision.hpp"
#include "core/stored_certificates.hpp"
#include "deployers/descriptor.hpp"
#include "providers/descriptor.hpp"
#include "wildcert_version.h"

namespace wildcert {

const char* to_string(RenewalStatus status) {
    switch (status) {
    case RenewalStatus::issued:
        return "issued";
    case RenewalStatus::renewed:
        return "renewed";
    case RenewalStatus::not_due:
        return "not-due";
    case RenewalStatus::failed:
        return "failed";
    case RenewalStatus::locked:
        return "locked";
    }
    return "failed";
}

namespace {

Result<std::vector<dns::ServerAddress>> parse_servers(const std::vector<std::string>& texts,
                                                      const std::string& key) {
    std::vector<dns::ServerAddress> resolvers;
    for (const auto& text : texts) {
        auto address = dns::parse_server_address(text);
        if (!address.ok())
            return make_error(ErrorKind::profile, key + ": " + address.error().message);
        resolvers.push_back(std::move(address).value());
    }
    return resolvers;
}

} // namespace

Client::Client(std::unique_ptr<State> state) : m_state(std::move(state)) {}
Client::Client(Client&&) noexcept = default;
Client& Client::operator=(Client&&) noexcept = default;
Client::~Client() = default;

const Profile& Client::profile() const {
    return m_state->profile;
}

Result<Client> Client::create(Profile profile, ClientOptions options) {
    std::shared_ptr<DnsProvider> provider = options.provider;
    if (!provider) {
        // The provider's HTTP requests say who sends them, and its waits end with the run.
        const providers::ProviderContext context{
            .user_agent = std::string("wildcert/") + WILDCERT_VERSION,
            .request_timeout = std::chrono::seconds(30),
            .cancelled = options.cancelled,
        };
        WILDCERT_TRY(auto created, providers::create_provider(profile.dns.provider, context));
        provider = std::move(created);
    }
    // Every deploy entry's keys, before anything is ordered: a typo in a target must not
    // surface only after the CA issued.
    for (const auto& certificate : profile.certificates) {
        for (const auto& entry : certificate.deploy) {
            if (entry.type != "command")
                WILDCERT_CHECK(deployers::create_deployer(entry, {options.cancelled}));
        }
    }
    WILDCERT_TRY(auto resolvers, parse_servers(profile.dns.resolvers, "dns.resolvers"));
    dns::Discovery discovery(std::move(resolvers));
    if (profile.dns.discovery == DiscoveryMode::delegation) {
        WILDCERT_TRY(auto roots, parse_servers(profile.dns.root_servers, "dns.root_servers"));
        discovery.use_delegation(std::move(roots));
    }
    WILDCERT_TRY(auto state_dir, core::open_state_dir(options.state_dir, options.log));
    // Before anything is written or sent: an output there would overwrite a private key.
    WILDCERT_CHECK(config::check_outputs_outside(profile, state_dir.root()));
    // One journal per (profile, provider): a run only cleans up what its own provider
    // configuration can remove.
    const auto journal_key = std::filesystem::absolute(profile.path).lexically_normal().string() +
                             "\n" + profile.dns.provider.name;
    WILDCERT_TRY(auto journal, store::CleanupJournal::open(state_dir.folder(), journal_key));

    http::Options http_options;
    http_options.ca_bundle = profile.acme.ca_bundle;
    http_options.user_agent = std::string("wildcert/") + WILDCERT_VERSION;
    http_options.read_timeout = options.http_read_timeout;
    http_options.total_timeout = profile.acme.request_timeout;
    http_options.total_timeout_setting = "acme.request_timeout";

    // For the parts, before the options move in.
    auto sink = options.log;
    const acme::RetryPolicy policy{.max_attempts = acme::RetryPolicy{}.max_attempts,
                                   .first_backoff = options.retry_backoff,
                                   .max_wait = acme::RetryPolicy{}.max_wait,
                                   .cancelled = options.cancelled};
    auto state = std::unique_ptr<State>(new State{
        .profile = std::move(profile),
        .options = std::move(options),
        .state_dir = std::move(state_dir),
        .provider = std::move(provider),
        .journal = std::move(journal),
        .discovery = std::move(discovery),
        .session = core::AcmeSession(http_options, policy),
        .log = core::ProgressLog(std::move(sink)),
    });
    // Zones with more name servers than the propagation check asks are worth a line.
    state->discovery.set_warning_sink(
        [owner = state.get()](const std::string& line) { owner->info(line); });
    return Client(std::move(state));
}

Result<std::vector<RecordRemoval>> Client::clean_up_leftovers() {
    return core::remove_leftovers(*m_state);
}

Result<IssuedCertificate> Client::issue(const CertificateSettings& certificate) {
    return std::move(issue_all({certificate}).front());
}

std::vector<Result<IssuedCertificate>>
Client::issue_all(const std::vector<CertificateSettings>& certificates) {
    RenewOptions options;
    options.force = true;
    options.force_reason = "issue obtains every selected certificate now";
    options.command = "issue";
    std::vector<Result<IssuedCertificate>> results;
    for (auto& report : core::run_pipeline(*m_state, certificates, options, {})) {
        switch (report.status) {
        case RenewalStatus::issued:
        case RenewalStatus::renewed:
            results.emplace_back(IssuedCertificate{
                .name = std::move(report.name),
                .domains = std::move(report.domains),
                .live_dir = std::move(report.live_dir),
                .serial_hex = std::move(report.serial_hex),
                .not_after = report.not_after.value_or(std::chrono::system_clock::time_point())});
            break;
        case RenewalStatus::locked:
            results.emplace_back(Error{ErrorKind::locked, report.name + ": " + report.reason});
            break;
        case RenewalStatus::failed:
        case RenewalStatus::not_due: // forced: only a failure leaves it not due
            results.emplace_back(report.error.value_or(
                Error{ErrorKind::io, report.name + ": not issued: " + report.reason}));
            break;
        }
    }
    return results;
}

Result<std::string> Client::dry_run_directory(const Profile& profile, bool against_production) {
    return core::dry_run_directory(profile, against_production);
}

std::vector<CertificateReport> Client::renew(const std::vector<CertificateSettings>& certificates,
                                             const RenewOptions& options,
                                             const RenewalListener& listener) {
    return core::run_pipeline(*m_state, certificates, options, listener);
}

std::vector<CertificateReport> Client::inspect(const std::vector<CertificateSettings>& certificates,
                                               std::chrono::system_clock::time_point now) {
    return core::inspect_certificates(m_state->state_dir, certificates, now);
}

Result<RenewalDecision> Client::decide_renewal(const CertificateSettings& certificate,
                                               std::chrono::system_clock::time_point now) {
    auto& state = *m_state;
    WILDCERT_TRY(const auto pem, state.state_dir.current_certificate(certificate.name));
    if (!pem) {
        RenewalDecision decision;
        decision.due = true;
        decision.renew_at = now;
        decision.reason =
            "no certificate in " + state.state_dir.live_dir(certificate.name).string();
        return decision;
    }
    // A connection of its own: issue() sets up the account on its first connection.
    WILDCERT_TRY(auto acme,
                 acme::AcmeClient::connect(state.session.http, state.profile.acme.directory_url));
    auto decision = core::decide_renewal(&acme, *pem, now, core::system_uniform());
    if (!decision.ok())
        return decision.error().with_context(certificate.name);
    return decision;
}

} // namespace wildcert
