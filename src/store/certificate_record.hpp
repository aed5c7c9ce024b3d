#pragma once
// Two small per-certificate text files that let `renew` decide without parsing PEM or touching
// the network, which keeps a run over a thousand certificates that are not due near-instant.
//
// live/<name>/info.txt (in the version folder, so it always matches the PEM files beside it):
//   domains=*.example.com example.com
//   key=ec-p256
//   not_before=1700000000            (Unix seconds)
//   not_after=1707776000
//   serial=0a1b...                   (hex, as issued)
//   issuer=Pebble Intermediate CA 1a2b3c
//   directory=https://acme.example/dir
//   ari=1                            (the directory offered renewalInfo at issuance)
//   profile=/etc/wildcert/web.toml   (the profile that issued it; absent before wildcert
//                                     recorded it: `list` then says "unknown")
//
// status/<name>.txt (what happened after issuance; rewritten atomically):
//   version=3                        (the archive version these lines are about)
//   deploy_pending=1                 (outputs or hooks have not all succeeded yet)
//   deployed=1 /run/haproxy.sock     (one line per deploy target done for this version:
//                                     entry index, space, target; not touched again)
//   ari_renew_at=1706000000          (the CA's window, a random instant chosen in it)
//   ari_check_at=1705000000          (when to ask the CA again, from Retry-After)
//
// Lines starting with '#', blank lines and unknown keys are ignored.

#include <wildcert/result.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace wildcert::store {

struct CertificateRecord {
    std::vector<std::string> domains;
    std::string key_type;
    std::int64_t not_before = 0;
    std::int64_t not_after = 0;
    std::string serial_hex;
    std::string issuer;
    std::string directory_url;
    bool ari = false;
    std::string profile; // absolute path; "" when not recorded
};

struct CertificateStatus {
    unsigned long version = 0;
    bool deploy_pending = false;
    std::vector<std::string> deployed; // "<entry index> <target>", in the order done
    std::optional<std::int64_t> ari_renew_at;
    std::optional<std::int64_t> ari_check_at;
};

// Fails (ErrorKind::io) when a value holds a line break.
[[nodiscard]] Result<std::string> format_certificate_record(const CertificateRecord& record);
// nullopt when a required line (domains, key, not_before, not_after) is missing or malformed.
[[nodiscard]] std::optional<CertificateRecord> parse_certificate_record(const std::string& text);

[[nodiscard]] std::string format_certificate_status(const CertificateStatus& status);
[[nodiscard]] CertificateStatus parse_certificate_status(const std::string& text);

} // namespace wildcert::store
