#pragma once
// The installer part (docs/dev/architecture.md, "The parts"): stage install, given only the
// state directory the version goes into, the profile's path (recorded in info.txt for
// `list`), the log and where audit events go.

#include "acme/acme_client.hpp"
#include "core/audit_event.hpp"
#include "core/certificate_files.hpp"
#include "core/progress_log.hpp"
#include "store/state_dir.hpp"

#include <wildcert/profile.hpp>
#include <wildcert/result.hpp>

#include <filesystem>
#include <string>

namespace wildcert::core {

class CertificateInstaller {
public:
    struct Parts {
        const store::StateDir& target;
        bool scratch; // a dry run's scratch state directory: its path is named nowhere
        std::filesystem::path profile_path;
        const ProgressLog& log;
        AuditSink audit;
    };
    explicit CertificateInstaller(Parts parts) : m_parts(std::move(parts)) {}

    // `checked` as the next version of `certificate` (atomic: live/ switches only once the
    // version is complete), with its info.txt made from the leaf and the CA's directory; then
    // the progress line and the certificate-issued event. Returns the live folder.
    [[nodiscard]] Result<std::filesystem::path> install(const CertificateSettings& certificate,
                                                        CheckedChain& checked,
                                                        const acme::Directory& directory) const;

private:
    Parts m_parts;
};

// The info.txt of a new version (store/certificate_record.hpp); "" when it cannot be made.
[[nodiscard]] std::string describe_record(const CertificateSettings& certificate,
                                          const crypto::CertificateInfo& leaf,
                                          const acme::Directory& directory,
                                          const std::filesystem::path& profile);

} // namespace wildcert::core
