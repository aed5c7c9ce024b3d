#include "core/certificate_installer.hpp"

#include "store/certificate_record.hpp"

namespace wildcert::core {

Result<std::filesystem::path>
CertificateInstaller::install(const CertificateSettings& certificate, CheckedChain& checked,
                              const acme::Directory& directory) const {
    checked.files.info_txt =
        describe_record(certificate, checked.leaf, directory, m_parts.profile_path);
    WILDCERT_TRY(auto live_dir, m_parts.target.install(certificate.name, checked.files));
    m_parts.log.info(m_parts.scratch
                         ? "store: dry run: " + certificate.name +
                               " checked; the test certificate is discarded at the end of the run"
                         : "store: installed " + live_dir.string());
    if (m_parts.audit)
        m_parts.audit({.event = "certificate-issued",
                       .certificate = certificate.name,
                       .names = certificate.domains,
                       .serial_hex = checked.leaf.serial_hex,
                       .not_after = checked.leaf.not_after,
                       .detail = m_parts.scratch ? "dry run (test certificate discarded)"
                                                 : live_dir.string()});
    return live_dir;
}

std::string describe_record(const CertificateSettings& certificate,
                            const crypto::CertificateInfo& leaf, const acme::Directory& directory,
                            const std::filesystem::path& profile) {
    store::CertificateRecord record;
    // Which profile issued it, for `list` without -c. A path with a line break (which no one
    // means) is left out rather than costing the whole record.
    if (profile.string().find_first_of("\r\n") == std::string::npos)
        record.profile = profile.string();
    record.domains = certificate.domains;
    record.key_type = std::string(to_string(certificate.key));
    record.not_before =
        std::chrono::duration_cast<std::chrono::seconds>(leaf.not_before.time_since_epoch())
            .count();
    record.not_after =
        std::chrono::duration_cast<std::chrono::seconds>(leaf.not_after.time_since_epoch()).count();
    record.serial_hex = leaf.serial_hex;
    record.issuer = leaf.issuer_cn.empty() ? leaf.issuer : leaf.issuer_cn;
    record.directory_url = directory.url;
    record.ari = !directory.renewal_info.empty();
    // Only line breaks make formatting fail, and none of these values can hold one; without
    // info.txt, renew reads the PEM files instead.
    auto text = store::format_certificate_record(record);
    return text.ok() ? std::move(text).value() : std::string();
}

} // namespace wildcert::core
