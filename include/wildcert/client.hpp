#pragma once
// The library entry point: everything the command line does goes through here.

#include <wildcert/acme_status.hpp>
#include <wildcert/dns_provider.hpp>
#include <wildcert/key_type.hpp>
#include <wildcert/preflight.hpp>
#include <wildcert/profile.hpp>
#include <wildcert/renewal.hpp>
#include <wildcert/result.hpp>
#include <wildcert/revocation.hpp>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wildcert {

// status: where a wait stands ("dns: 1 of 2 checks pass; ...; 57s left"), repeated while it
// lasts and replaced by the next one; an empty status line says the wait is over. A sink
// may show the latest in place (a terminal), throttle them (a log) or drop them.
enum class LogLevel { info, debug, status };
// Receives progress lines. Never receives a secret.
using LogSink = std::function<void(LogLevel, std::string_view)>;

struct ClientOptions {
    std::filesystem::path state_dir;
    LogSink log;                     // may be empty
    std::function<bool()> cancelled; // may be empty; polled while waiting (SIGINT/SIGTERM)
    // Transport limits towards the CA: how long a response may take, and the first pause
    // before a transient failure (5xx, reset, timeout) is retried. Tests shorten them.
    std::chrono::milliseconds http_read_timeout{std::chrono::seconds(30)};
    std::chrono::milliseconds retry_backoff{std::chrono::seconds(1)};
    // The DNS provider that publishes the records; empty: the one the profile's [dns]
    // provider names. A program with its own DNS API passes its DnsProvider here (the
    // profile's provider name then only keys the cleanup journal: use a name of your own and
    // put its settings, if any, in [dns.<name>]).
    std::shared_ptr<DnsProvider> provider;
};

struct IssuedCertificate {
    std::string name;
    std::vector<std::string> domains;
    std::filesystem::path live_dir; // <state>/live/<name>
    std::string serial_hex;
    std::chrono::system_clock::time_point not_after;
};

// The profile's ACME account as stored and as the CA reports it (RFC 8555 §7.1.2).
struct AccountDetails {
    std::string url;                       // the account URL (the "kid")
    AcmeStatus status = AcmeStatus::valid; // valid, deactivated or revoked, as the CA says
    std::vector<std::string> contact;
    KeyType key_type = KeyType::ec_p256;
    std::string directory_url;
    std::string eab_key_id;       // "" without External Account Binding; never the MAC key
    std::filesystem::path folder; // where the key is stored
};

// A TXT record that a run added and that wildcert then tried to remove.
struct RecordRemoval {
    TxtRecord record;
    std::optional<Error> failure; // unset: removed and struck from the cleanup journal
};

struct RevokedCertificate {
    std::string name;
    std::string serial_hex;
    std::optional<RevocationReason> reason;
    bool signed_with_certificate_key = false;
};

class Client {
public:
    // Checks what can be checked without the network (provider settings: ErrorKind::profile)
    // and opens the state directory.
    [[nodiscard]] static Result<Client> create(Profile profile, ClientOptions options);

    Client(Client&&) noexcept;
    Client& operator=(Client&&) noexcept;
    ~Client();

    [[nodiscard]] const Profile& profile() const;

    // Removes the TXT records that earlier runs left behind (from the cleanup journal), one
    // provider call per zone, record by record where that fails. One outcome per record (none
    // when nothing was left); a record that could not be removed stays in the journal for the
    // next run. An error only when the journal cannot be read. Idempotent; issue() calls it
    // first, and a record it cannot remove holds up no certificate (a stale TXT value beside
    // a new one does not disturb validation).
    [[nodiscard]] Result<std::vector<RecordRemoval>> clean_up_leftovers();

    // Obtains `certificate` now, through the same run as renew() with `force`
    // (docs/dev/architecture.md): under the certificate's lock, account, order, records,
    // propagation, validation, finalize, download, atomic install under live/, then its
    // outputs and deploy hooks. The records are removed on every path. Another run holding
    // the lock: an ErrorKind::locked error and nothing done. A failed deploy is not an error
    // here (the certificate is installed; renew() finishes the deploy): use renew() to see it.
    [[nodiscard]] Result<IssuedCertificate> issue(const CertificateSettings& certificate);

    // Obtains every certificate of `certificates` together: the orders are placed, all their
    // TXT records published at once and checked in one propagation loop, so a lagging
    // nameserver is waited for once, not once per certificate. One result per certificate,
    // in order; a certificate whose order or validation fails does not stop the others.
    [[nodiscard]] std::vector<Result<IssuedCertificate>>
    issue_all(const std::vector<CertificateSettings>& certificates);

    // The ACME directory a dry run of `profile` uses (RenewOptions::dry_run):
    // acme.staging_directory, else a known CA's staging twin, else acme.directory when it is
    // a known staging or test CA (loopback, .test, .localhost) or `against_production`.
    // Otherwise an ErrorKind::usage error that says how to allow it. Sends nothing.
    [[nodiscard]] static Result<std::string> dry_run_directory(const Profile& profile,
                                                               bool against_production);

    // The account commands act on the account that issue() created for this profile's
    // (directory, [acme.eab] key_id); none of them creates one, and each fails with
    // ErrorKind::acme when there is none.

    // Reads the account from the CA. Idempotent.
    [[nodiscard]] Result<AccountDetails> account();
    // Replaces the contact list at the CA (RFC 8555 §7.3.2). Idempotent.
    [[nodiscard]] Result<AccountDetails> update_contact(const std::vector<std::string>& contact);
    // Key rollover (RFC 8555 §7.3.5) to a fresh key of `new_type`: the account and its URL
    // stay, the CA then accepts only the new key. The stored key is replaced only after the
    // CA accepted the change; the old one is kept as accounts/<id>/previous-<n>.key (0600).
    // Not idempotent: each call makes a new key.
    [[nodiscard]] Result<AccountDetails> roll_over_account_key(KeyType new_type);
    // Deactivates the account at the CA (RFC 8555 §7.3.6, irreversible) and moves the stored
    // account to retired-accounts/, so the next issue() creates a new account. Returns the
    // folder it moved to.
    [[nodiscard]] Result<std::filesystem::path> deactivate_account();
    // Revokes the current certificate of live/<name> (RFC 8555 §7.6), signed with the account
    // key, or with the certificate's own key when `signed_with_certificate_key` (no account
    // needed then). A certificate already revoked is an ErrorKind::acme error saying so.
    [[nodiscard]] Result<RevokedCertificate> revoke(const std::string& name,
                                                    std::optional<RevocationReason> reason,
                                                    bool signed_with_certificate_key);

    // Whether live/<name> of `certificate` is due at `now`: by the CA's ARI window when its
    // directory offers renewalInfo (a random instant of the window; a window in the past means
    // now), else when less than a third of the lifetime is left. No certificate yet: due. Reads
    // the directory and the renewal info only (no account, no order); idempotent.
    [[nodiscard]] Result<RenewalDecision>
    decide_renewal(const CertificateSettings& certificate,
                   std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

    // Renews what is due among `certificates` (docs/dev/architecture.md §6): a certificate is due
    // when it is missing, its names or key type changed in the profile, the CA's ARI window says so
    // (when the CA offers ARI), or less than renew_before of its lifetime is left. Certificates
    // that are not due cost no network request. Each certificate is locked (flock) while it is
    // worked on, so concurrent runs never issue one twice. The due ones are issued as one batch
    // (issue_all), then their outputs are written and deploy hooks run; a failed deploy is
    // retried by the next run without issuing again. One report per certificate, in order.
    [[nodiscard]] std::vector<CertificateReport>
    renew(const std::vector<CertificateSettings>& certificates, const RenewOptions& options,
          const RenewalListener& listener = {});

    // What renew() would say about each certificate without doing anything or using the
    // network: status not_due or (due) failed-free "renewed"/"issued" plans (the same as
    // CertificateStore::inspect, certificate_store.hpp, which needs no profile secrets).
    [[nodiscard]] std::vector<CertificateReport>
    inspect(const std::vector<CertificateSettings>& certificates,
            std::chrono::system_clock::time_point now = std::chrono::system_clock::now());
    // Preflight of `certificates` for `wildcert check`: the ACME directory, each name's zone
    // and every address of its nameservers (one SOA query each), the provider's credentials
    // (DnsProvider::check_access) and CAA (RFC 8659, RFC 8657) for this CA. Places no order,
    // creates no account, changes no record; idempotent. Problems are items of the report.
    [[nodiscard]] PreflightReport check(const std::vector<CertificateSettings>& certificates);

    struct State;

private:
    explicit Client(std::unique_ptr<State> state);
    std::unique_ptr<State> m_state;
};

} // namespace wildcert
