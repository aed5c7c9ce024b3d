#pragma once

#include <wildcert/result.hpp>

#include <string_view>

namespace wildcert::store {

// A certificate name becomes a folder under live/ and archive/: it must be one path component,
// non-empty, at most 200 bytes, without '/', control characters or a leading '.' (which
// would hide it, or make it "." or ".."), and without ".tmp-", which marks wildcert's own
// temporary names (stale_files.hpp). ErrorKind::usage otherwise.
[[nodiscard]] Result<void> check_certificate_name(std::string_view name);

} // namespace wildcert::store
