#include "store/journal_format.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <optional>

namespace wildcert::store {

namespace {

constexpr char k_separator = '\t';
constexpr std::size_t k_field_count = 4;

bool has_control_break(std::string_view field) {
    return field.find_first_of(std::string_view("\t\r\n\0", 4)) != std::string_view::npos;
}

std::optional<TxtRecord> parse_line(std::string_view line) {
    std::array<std::string_view, k_field_count> fields;
    for (std::size_t i = 0; i < k_field_count; ++i) {
        const std::size_t tab = line.find(k_separator);
        const bool last = i + 1 == k_field_count;
        if (last != (tab == std::string_view::npos)) {
            return std::nullopt; // too few or too many fields
        }
        fields[i] = line.substr(0, tab);
        line.remove_prefix(last ? line.size() : tab + 1);
    }
    const std::string_view ttl_text = fields[3];
    std::int64_t ttl = 0;
    const char* end = ttl_text.data() + ttl_text.size();
    const auto [ptr, error] = std::from_chars(ttl_text.data(), end, ttl);
    if (ttl_text.empty() || error != std::errc() || ptr != end || ttl < 0 || fields[1].empty() ||
        fields[2].empty()) {
        return std::nullopt;
    }
    return TxtRecord{std::string(fields[0]), std::string(fields[1]), std::string(fields[2]),
                     std::chrono::seconds(ttl)};
}

} // namespace

Result<std::string> format_journal_line(const TxtRecord& record) {
    if (has_control_break(record.zone) || has_control_break(record.fqdn) ||
        has_control_break(record.value)) {
        return make_error(ErrorKind::io, "cleanup journal: record for " + record.fqdn +
                                             " holds a tab or line break");
    }
    if (record.fqdn.empty() || record.value.empty()) {
        return make_error(ErrorKind::io, "cleanup journal: record without a name or value");
    }
    if (record.ttl.count() < 0) {
        return make_error(ErrorKind::io, "cleanup journal: negative TTL for " + record.fqdn);
    }
    std::string line = record.zone;
    line += k_separator;
    line += record.fqdn;
    line += k_separator;
    line += record.value;
    line += k_separator;
    line += std::to_string(record.ttl.count());
    line += '\n';
    return line;
}

std::vector<TxtRecord> parse_journal(std::string_view text) {
    std::vector<TxtRecord> records;
    for (;;) {
        const std::size_t end = text.find('\n');
        if (end == std::string_view::npos) {
            break; // empty rest, or a line cut short by a crash
        }
        const std::optional<TxtRecord> record = parse_line(text.substr(0, end));
        text.remove_prefix(end + 1);
        if (record && std::find(records.begin(), records.end(), *record) == records.end()) {
            records.push_back(*record);
        }
    }
    return records;
}

} // namespace wildcert::store
