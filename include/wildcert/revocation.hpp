#pragma once
// Revocation reasons: RFC 5280 §5.3.1 CRLReason codes, as RFC 8555 §7.6 sends them.

#include <optional>
#include <string_view>
#include <vector>

namespace wildcert {

// Code 7 is unused in RFC 5280, so it has no name here.
enum class RevocationReason {
    unspecified = 0,
    key_compromise = 1,
    ca_compromise = 2,
    affiliation_changed = 3,
    superseded = 4,
    cessation_of_operation = 5,
    certificate_hold = 6,
    remove_from_crl = 8,
    privilege_withdrawn = 9,
    aa_compromise = 10,
};

// The RFC 5280 ASN.1 names: "unspecified", "keyCompromise", "cACompromise", ...
// (exact spelling; nullopt for anything else).
[[nodiscard]] std::optional<RevocationReason> parse_revocation_reason(std::string_view name);
[[nodiscard]] const char* to_string(RevocationReason reason);
// Every name, in code order (for --help and error messages).
[[nodiscard]] std::vector<std::string_view> revocation_reason_names();

} // namespace wildcert
