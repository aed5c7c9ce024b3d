#include "process/output_tail.hpp"

#include <vector>

namespace wildcert::process {
namespace {

constexpr std::string_view k_separator = " | ";
constexpr std::string_view k_ellipsis = "...";

char printable(char c) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte == '\t')
        return ' ';
    return byte < 0x20 || byte == 0x7f ? '?' : c;
}

std::string_view trim(std::string_view line) {
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r'))
        line.remove_suffix(1);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t'))
        line.remove_prefix(1);
    return line;
}

std::vector<std::string_view> non_empty_lines(std::string_view output) {
    std::vector<std::string_view> lines;
    while (!output.empty()) {
        const auto end = output.find('\n');
        const auto line = trim(output.substr(0, end));
        if (!line.empty())
            lines.push_back(line);
        if (end == std::string_view::npos)
            break;
        output.remove_prefix(end + 1);
    }
    return lines;
}

std::string sanitized(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text)
        out.push_back(printable(c));
    return out;
}

} // namespace

void OutputTail::append(std::string_view bytes) {
    if (bytes.size() >= m_capacity) {
        m_truncated = m_truncated || !m_text.empty() || bytes.size() > m_capacity;
        m_text.assign(bytes.substr(bytes.size() - m_capacity));
        return;
    }
    m_text.append(bytes);
    if (m_text.size() > m_capacity) {
        m_text.erase(0, m_text.size() - m_capacity);
        m_truncated = true;
    }
}

std::string last_lines(std::string_view output, std::size_t max_bytes) {
    const auto lines = non_empty_lines(output);
    if (lines.empty() || max_bytes == 0)
        return {};
    const auto& last = lines.back();
    if (last.size() > max_bytes) {
        const auto keep = max_bytes > k_ellipsis.size() ? max_bytes - k_ellipsis.size() : 0;
        return std::string(k_ellipsis) + sanitized(last.substr(last.size() - keep));
    }
    // Walk back from the last line while the joined text still fits.
    std::size_t first = lines.size() - 1;
    std::size_t size = last.size();
    while (first > 0 && size + k_separator.size() + lines[first - 1].size() <= max_bytes) {
        --first;
        size += k_separator.size() + lines[first].size();
    }
    std::string joined;
    for (std::size_t i = first; i < lines.size(); ++i) {
        if (i != first)
            joined += k_separator;
        joined += sanitized(lines[i]);
    }
    return joined;
}

} // namespace wildcert::process
