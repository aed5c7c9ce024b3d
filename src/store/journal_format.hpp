#pragma once
// The cleanup journal's text format: one record per line,
//   zone<TAB>fqdn<TAB>value<TAB>ttl-seconds<LF>
// A line counts only once its LF is written, so a crash in the middle of an append leaves a
// last line that readers skip.

#include <wildcert/dns_provider.hpp>
#include <wildcert/result.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace wildcert::store {

// One line with its LF. ErrorKind::io when a field holds a tab or line break (it could not be
// read back) or the TTL is negative.
[[nodiscard]] Result<std::string> format_journal_line(const TxtRecord& record);

// Every complete, well-formed line, in file order, without duplicates. Malformed lines and an
// unterminated last line are skipped: they are what a crash leaves, not an error.
[[nodiscard]] std::vector<TxtRecord> parse_journal(std::string_view text);

} // namespace wildcert::store
