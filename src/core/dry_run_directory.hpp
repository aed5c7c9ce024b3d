#pragma once
// Which ACME directory `--dry-run` uses, and when it refuses: a dry run orders real
// certificates, so against a production CA it would spend the operator's rate limits (and
// leave certificates there) while they believe nothing happened.

#include <wildcert/profile.hpp>
#include <wildcert/result.hpp>

#include <string>
#include <string_view>

namespace wildcert::core {

// True for a directory known to be a staging or test CA: the staging directory of a known CA
// (letsencrypt-staging: acme-staging-v02.api.letsencrypt.org, google-staging,
// buypass-staging), and any server on loopback (127.0.0.0/8, [::1], localhost) or under the
// names RFC 6761 reserves for testing, .test and .localhost (Pebble in tests).
[[nodiscard]] bool is_known_test_directory(std::string_view url);

// The directory a dry run of `profile` uses: acme.staging_directory (as set, or the known
// CA's staging twin: the profile says so), else the twin of a known CA's production URL, else
// acme.directory when it is a known test CA or `against_production` (--dry-run-against-production)
// allows it. Otherwise an ErrorKind::usage error (exit 2, nothing sent) that says how to allow it.
[[nodiscard]] Result<std::string> dry_run_directory(const Profile& profile,
                                                    bool against_production);

} // namespace wildcert::core
