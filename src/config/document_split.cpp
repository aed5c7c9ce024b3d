#include "config/document_split.hpp"

namespace wildcert::config {
namespace {

enum class Header { none, certificate, certificate_part, other };

std::string_view trim_blanks(std::string_view line) {
    const auto first = line.find_first_not_of(" \t");
    if (first == std::string_view::npos)
        return {};
    line.remove_prefix(first);
    const auto last = line.find_last_not_of(" \t\r");
    return line.substr(0, last + 1);
}

// What a line is, as far as the cut is concerned: a header starts with '[' once the
// indentation is skipped (inside a multi-line array such a line is an element, which
// counts as "other" and stops the cut).
Header classify(std::string_view line) {
    line = trim_blanks(line);
    if (line.empty() || line.front() != '[')
        return Header::none;
    constexpr std::string_view element = "[[certificate]]";
    if (line.starts_with(element)) {
        const std::string_view rest = trim_blanks(line.substr(element.size()));
        if (rest.empty() || rest.front() == '#')
            return Header::certificate;
        return Header::other;
    }
    if (line.starts_with("[certificate.") || line.starts_with("[[certificate."))
        return Header::certificate_part;
    return Header::other;
}

} // namespace

std::vector<std::size_t> certificate_split_points(std::string_view text, std::size_t parts) {
    if (parts < 2 || text.find("\"\"\"") != std::string_view::npos ||
        text.find("'''") != std::string_view::npos)
        return {};
    std::vector<std::size_t> headers; // where each [[certificate]] line starts
    for (std::size_t start = 0; start < text.size();) {
        auto end = text.find('\n', start);
        if (end == std::string_view::npos)
            end = text.size();
        switch (classify(text.substr(start, end - start))) {
        case Header::certificate:
            headers.push_back(start);
            break;
        case Header::certificate_part:
            break;
        case Header::other:
            // Before the first certificate, any table may come (the first part holds it).
            if (!headers.empty())
                return {};
            break;
        case Header::none:
            break;
        }
        start = end + 1;
    }
    if (headers.size() < k_split_minimum_certificates)
        return {};
    std::vector<std::size_t> points;
    for (std::size_t part = 1; part < parts; ++part)
        points.push_back(headers[headers.size() * part / parts]);
    return points;
}

} // namespace wildcert::config
