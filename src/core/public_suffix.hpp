#pragma once
// Zones wildcert must never update: the root, a top-level domain, or a public suffix under
// which anyone may register names (co.uk, github.io). Such a "zone" is what discovery finds
// for a misspelt domain whose own zone does not exist: the record would go to the registry's
// zone. The rules come from the Public Suffix List (https://publicsuffix.org/list/) as the
// system ships it (Debian: package publicsuffix); without it, only one-label zones and the
// root are recognised.

#include <wildcert/result.hpp>

#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace wildcert::core {

enum class SuffixKind {
    none,           // an ordinary zone
    root,           // "."
    top_level,      // one label ("test.", "com."), listed or not
    icann,          // a rule of the list's ICANN section ("co.uk.")
    private_domain, // a rule of its PRIVATE section ("github.io."): the operator's own zone
};

class PublicSuffixList {
public:
    // The list's text format (https://publicsuffix.org/list/ "Format"): one rule a line,
    // "*." wildcards, "!" exceptions, "//" comments, the sections marked by "===BEGIN ICANN
    // DOMAINS===" and "===BEGIN PRIVATE DOMAINS===". Unicode rules are kept in their "xn--"
    // form; a rule that is not valid UTF-8 is skipped.
    [[nodiscard]] static PublicSuffixList parse(std::string_view text);

    // What `zone` (absolute or not, any case) is. Only the zone itself counts: a name below a
    // suffix ("example.co.uk.") is none.
    [[nodiscard]] SuffixKind classify(std::string_view zone) const;
    [[nodiscard]] std::size_t rules() const {
        return m_icann.size() + m_private.size() + m_icann_wildcards.size() +
               m_private_wildcards.size() + m_exceptions.size();
    }

private:
    // Rules in their ASCII form without the trailing dot; wildcards as the part after "*.".
    std::set<std::string, std::less<>> m_icann, m_private;
    std::set<std::string, std::less<>> m_icann_wildcards, m_private_wildcards;
    std::set<std::string, std::less<>> m_exceptions;
};

// The default place of the list (Debian, Fedora, Arch): /usr/share/publicsuffix/
// public_suffix_list.dat. WILDCERT_PUBLIC_SUFFIX_LIST names another file.
[[nodiscard]] std::string public_suffix_list_path();

// The list at public_suffix_list_path(), read once per process. nullopt when the file does
// not exist; an ErrorKind::io error naming it when it cannot be read.
[[nodiscard]] const Result<std::optional<PublicSuffixList>>& system_public_suffixes();

// Classifies `zone` with the system list when there is one, else by its label count only.
[[nodiscard]] SuffixKind classify_zone(std::string_view zone);

// What a zone of `kind` is, for messages: "a top-level domain", "a public suffix (ICANN section
// of the Public Suffix List)".
[[nodiscard]] std::string describe_suffix(SuffixKind kind);

} // namespace wildcert::core
