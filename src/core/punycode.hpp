#pragma once
// Punycode (RFC 3492), for the internationalised rules of the public suffix list, which is
// written in Unicode while zone names travel as ASCII ("xn--" labels, RFC 5890 §2.3.2.1).

#include <optional>
#include <string>
#include <string_view>

namespace wildcert::core {

// The ASCII form of one label given as UTF-8: itself when it is ASCII already, else "xn--" and
// its Punycode encoding. nullopt for malformed UTF-8. The label is taken as it is (the list's
// labels are already lower case and normalised); no IDNA mapping is applied.
[[nodiscard]] std::optional<std::string> ascii_label(std::string_view utf8_label);

} // namespace wildcert::core
