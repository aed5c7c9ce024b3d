#include "config/domain_name.hpp"

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <vector>

namespace wildcert::config {
namespace {

constexpr std::size_t k_max_label = 63; // RFC 1035 §2.3.4
constexpr std::size_t k_max_name = 253; // RFC 1035 §2.3.4: 255 octets on the wire
// RFC 8555 §8.4: the TXT record of a DNS-01 challenge lives at "_acme-challenge." + the name
// (without "*."), which must itself fit the 253 characters.
constexpr std::string_view k_challenge_label = "_acme-challenge.";

Error invalid(std::string why) {
    return make_error(ErrorKind::profile, std::move(why));
}

char to_lower_ascii(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool is_ldh(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

std::vector<std::string_view> split_labels(std::string_view name) {
    std::vector<std::string_view> labels;
    std::size_t start = 0;
    for (;;) {
        const std::size_t dot = name.find('.', start);
        if (dot == std::string_view::npos) {
            labels.push_back(name.substr(start));
            return labels;
        }
        labels.push_back(name.substr(start, dot - start));
        start = dot + 1;
    }
}

// Names the label by position, since the message must not quote the name.
std::string label_name(std::size_t index) {
    static const char* const k_ordinals[] = {"first", "second", "third", "fourth", "fifth"};
    if (index < std::size(k_ordinals))
        return std::string("the ") + k_ordinals[index] + " label";
    return "label " + std::to_string(index + 1);
}

Result<void> check_label(std::string_view label, std::size_t index) {
    const std::string which = label_name(index);
    if (label.empty())
        return invalid("has an empty label (two dots in a row, or a leading dot)");
    if (label == "*")
        return invalid("a wildcard '*' is allowed only as the whole leftmost label (as in "
                       "*.example.com)");
    if (label.size() > k_max_label)
        return invalid(which + " is longer than 63 characters");
    for (const char c : label) {
        if (c == '*')
            return invalid("a wildcard '*' is allowed only as the whole leftmost label (as in "
                           "*.example.com)");
        if (!is_ldh(c)) {
            return invalid(which +
                           " has a character other than a-z, 0-9 and '-' (write international "
                           "names in their xn-- form)");
        }
    }
    if (label.front() == '-' || label.back() == '-')
        return invalid(which + " starts or ends with '-'");
    return {};
}

bool is_all_digits(std::string_view label) {
    for (const char c : label) {
        if (c < '0' || c > '9')
            return false;
    }
    return !label.empty();
}

// An IP address is not a DNS name: DNS-01 cannot validate it (RFC 8738 IP identifiers take
// http-01 or tls-alpn-01), and no top-level domain is all digits (RFC 3696 §2), so a name
// ending in a numeric label would fail at the CA after the order was placed.
Result<void> check_not_an_address(const std::vector<std::string_view>& labels) {
    if (!is_all_digits(labels.back()))
        return {};
    const bool all_numeric = std::all_of(labels.begin(), labels.end(), is_all_digits);
    return invalid(all_numeric
                       ? "is an IP address, not a DNS name (DNS-01 validates DNS names only)"
                       : "ends in an all-digit label, which no top-level domain is");
}

} // namespace

Result<std::string> normalize_domain(std::string_view text) {
    if (text.empty())
        return invalid("is empty");
    std::string name;
    name.reserve(text.size());
    for (const char c : text)
        name.push_back(to_lower_ascii(c));

    if (name.back() == '.')
        return invalid("must not end with a dot");
    if (name.find(':') != std::string::npos)
        return invalid(
            "contains ':': an IP address is not a DNS name (DNS-01 validates DNS names only)");
    if (name.size() > k_max_name)
        return invalid("is longer than 253 characters");

    const std::vector<std::string_view> labels = split_labels(name);
    const bool wildcard = labels.front() == "*";
    if (labels.size() < (wildcard ? 3U : 2U)) {
        return invalid(wildcard ? "a wildcard must be followed by a name of at least two labels"
                                : "needs at least two labels (as in example.com)");
    }
    for (std::size_t i = wildcard ? 1 : 0; i < labels.size(); ++i) {
        const auto checked = check_label(labels[i], i);
        if (!checked.ok())
            return checked.error();
    }
    WILDCERT_CHECK(check_not_an_address(labels));
    return name;
}

Result<std::string> normalize_certificate_domain(std::string_view text) {
    WILDCERT_TRY(std::string name, normalize_domain(text));
    // Read from the input, which lowercasing does not change here: GCC 12 at -O2 reports a
    // false maybe-uninitialized on any read of the moved-into string's first bytes.
    const bool wildcard = text.starts_with("*.");
    const std::size_t base = wildcard ? name.size() - 2 : name.size();
    if (base + k_challenge_label.size() > k_max_name)
        return invalid("is " + std::to_string(base) + " characters" +
                       (base == name.size() ? "" : " after \"*.\"") +
                       ": its challenge name _acme-challenge.<name> would be " +
                       std::to_string(base + k_challenge_label.size()) +
                       ", over the 253 a DNS name may have (" +
                       std::to_string(k_max_name - k_challenge_label.size()) +
                       " at most for a domain)");
    return name;
}

} // namespace wildcert::config
