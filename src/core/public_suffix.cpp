#include "core/public_suffix.hpp"

#include "common/regular_file.hpp"
#include "core/punycode.hpp"

#include <algorithm>
#include <cstdlib>
#include <fcntl.h>

namespace wildcert::core {
namespace {

// The list is about 250 kB today; a file far larger than that is not the list.
constexpr std::size_t k_max_list_bytes = 16 * 1024 * 1024;

std::string lower_ascii(std::string_view text) {
    std::string lowered(text);
    std::transform(lowered.begin(), lowered.end(), lowered.begin(), [](unsigned char c) {
        return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    });
    return lowered;
}

// "Zone." or "zone" -> "zone"; "." -> "".
std::string normalised(std::string_view zone) {
    std::string name = lower_ascii(zone);
    if (!name.empty() && name.back() == '.')
        name.pop_back();
    return name;
}

// A rule's labels in their ASCII form; nullopt when one is not valid UTF-8.
std::optional<std::string> ascii_rule(std::string_view rule) {
    std::string ascii;
    while (!rule.empty()) {
        const auto dot = rule.find('.');
        const auto label = rule.substr(0, dot);
        auto converted = ascii_label(label);
        if (!converted)
            return std::nullopt;
        ascii += (ascii.empty() ? "" : ".") + lower_ascii(*converted);
        if (dot == std::string_view::npos)
            break;
        rule.remove_prefix(dot + 1);
    }
    return ascii;
}

} // namespace

PublicSuffixList PublicSuffixList::parse(std::string_view text) {
    PublicSuffixList list;
    bool private_section = false;
    while (!text.empty()) {
        const auto end = text.find('\n');
        std::string_view line = text.substr(0, end);
        text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
        if (line.find("===BEGIN PRIVATE DOMAINS===") != std::string_view::npos)
            private_section = true;
        else if (line.find("===BEGIN ICANN DOMAINS===") != std::string_view::npos)
            private_section = false;
        // A rule is the line up to the first white space; comments start with "//".
        const auto first = line.find_first_not_of(" \t\r");
        if (first == std::string_view::npos || line.substr(first).starts_with("//"))
            continue;
        line.remove_prefix(first);
        line = line.substr(0, line.find_first_of(" \t\r"));
        const bool exception = line.starts_with('!');
        const bool wildcard = line.starts_with("*.");
        line.remove_prefix(exception ? 1 : wildcard ? 2 : 0);
        auto rule = ascii_rule(line);
        if (!rule || rule->empty())
            continue;
        if (exception)
            list.m_exceptions.insert(std::move(*rule));
        else if (wildcard)
            (private_section ? list.m_private_wildcards : list.m_icann_wildcards)
                .insert(std::move(*rule));
        else
            (private_section ? list.m_private : list.m_icann).insert(std::move(*rule));
    }
    return list;
}

SuffixKind PublicSuffixList::classify(std::string_view zone) const {
    const std::string name = normalised(zone);
    if (name.empty())
        return SuffixKind::root;
    const auto dot = name.find('.');
    if (dot == std::string::npos)
        return SuffixKind::top_level; // the list's implicit "*" rule
    // An exception makes the name registrable, whatever matched it otherwise.
    if (m_exceptions.contains(name))
        return SuffixKind::none;
    if (m_icann.contains(name))
        return SuffixKind::icann;
    if (m_private.contains(name))
        return SuffixKind::private_domain;
    const std::string_view parent = std::string_view(name).substr(dot + 1);
    if (m_icann_wildcards.contains(parent))
        return SuffixKind::icann;
    if (m_private_wildcards.contains(parent))
        return SuffixKind::private_domain;
    return SuffixKind::none;
}

std::string public_suffix_list_path() {
    if (const char* path = std::getenv("WILDCERT_PUBLIC_SUFFIX_LIST"); path && *path)
        return path;
    return "/usr/share/publicsuffix/public_suffix_list.dat";
}

const Result<std::optional<PublicSuffixList>>& system_public_suffixes() {
    static const Result<std::optional<PublicSuffixList>> loaded =
        []() -> Result<std::optional<PublicSuffixList>> {
        const std::string path = public_suffix_list_path();
        auto text = read_regular_file(AT_FDCWD, path, k_max_list_bytes, Symlinks::follow);
        if (!text.ok())
            return text.error().with_context("public suffix list " + path);
        if (!*text)
            return std::optional<PublicSuffixList>();
        return std::optional<PublicSuffixList>(PublicSuffixList::parse(**text));
    }();
    return loaded;
}

SuffixKind classify_zone(std::string_view zone) {
    const auto& list = system_public_suffixes();
    if (list.ok() && *list)
        return (*list)->classify(zone);
    return PublicSuffixList{}.classify(zone);
}

std::string describe_suffix(SuffixKind kind) {
    switch (kind) {
    case SuffixKind::none:
        break;
    case SuffixKind::root:
        return "the root zone";
    case SuffixKind::top_level:
        return "a top-level domain";
    case SuffixKind::icann:
        return "a public suffix (ICANN section of the Public Suffix List)";
    case SuffixKind::private_domain:
        return "a public suffix (private section of the Public Suffix List)";
    }
    return "an ordinary zone";
}

} // namespace wildcert::core
