#pragma once
// The certificates a state directory holds, read and removed from it alone: no profile, no
// secret, no network (`wildcert list` and `wildcert delete`).

#include <wildcert/client.hpp>
#include <wildcert/profile.hpp>
#include <wildcert/renewal.hpp>
#include <wildcert/result.hpp>

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace wildcert {

// One live/<name> as the state directory records it.
struct StoredCertificate {
    // name, live_dir, and from the certificate's record: domains, serial, issuer, not_after;
    // renew_at is the CA's cached renewal window (ARI) when there is one. status is not_due,
    // or failed (error and reason set) when the record cannot be read.
    CertificateReport report;
    std::string key_type;
    // The profile that issued it; nullopt for a certificate issued before wildcert recorded it.
    std::optional<std::filesystem::path> profile;
    bool deploy_pending = false; // outputs or hooks of the current version have not all run
    // The deploy targets done for the current version ("<entry index> <target>").
    std::vector<std::string> deployed_targets;
};

// What deleting a certificate removed, or would remove (the paths that exist).
struct CertificateLineagePaths {
    std::string name;
    std::vector<std::filesystem::path> paths; // live/<name>, archive/<name>/, status/<name>.txt
    std::size_t versions = 0;                 // archive versions among them
};

class CertificateStore {
public:
    // Opens (creating when missing) and checks the state directory as every command does:
    // repairs and the sweep of a killed run's temporaries go to `log`.
    [[nodiscard]] static Result<CertificateStore> open(const std::filesystem::path& state_dir,
                                                       const LogSink& log = {});
    CertificateStore(CertificateStore&&) noexcept;
    CertificateStore& operator=(CertificateStore&&) noexcept;
    ~CertificateStore();

    [[nodiscard]] const std::filesystem::path& root() const;

    // Every certificate under live/, by name.
    [[nodiscard]] Result<std::vector<StoredCertificate>> certificates() const;

    // What `renew` would decide about each of `certificates` from the state directory alone
    // (no network): status not_due, renewed (due), issued (missing) or failed (unreadable).
    [[nodiscard]] std::vector<CertificateReport>
    inspect(const std::vector<CertificateSettings>& certificates,
            std::chrono::system_clock::time_point now = std::chrono::system_clock::now()) const;

    // What remove(name) would delete; no paths when the state directory has nothing of it.
    [[nodiscard]] Result<CertificateLineagePaths> lineage(const std::string& name) const;
    // Deletes the certificate's lineage (live/<name>, archive/<name>/, status/<name>.txt)
    // under its lock, so that no renew works on it meanwhile; nullopt, removing nothing, when
    // another run holds the lock. Never follows a symlink out of the state directory. The
    // deletion goes into audit.log (event certificate-deleted). ErrorKind::usage when there is
    // nothing of that name.
    [[nodiscard]] Result<std::optional<CertificateLineagePaths>>
    remove(const std::string& name) const;

    struct State;

private:
    explicit CertificateStore(std::unique_ptr<State> state);
    std::unique_ptr<State> m_state;
};

} // namespace wildcert
