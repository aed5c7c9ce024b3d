#pragma once
// The small text file next to an account key: which directory URL the account belongs to and
// the account URL the CA gave. Format, one "key=value" per line (values are URLs, which never
// hold line breaks):
//   directory=https://acme.example-ca.test/directory
//   url=https://acme.example-ca.test/acct/123
//   eab_key_id=kid-1            (only for accounts bound with External Account Binding)
// Lines starting with '#', blank lines and unknown keys are ignored, so later versions can add
// keys without breaking older readers.

#include <wildcert/result.hpp>

#include <string>

namespace wildcert::store {

struct AccountInfo {
    std::string directory_url;
    std::string account_url; // "" when not known yet
    std::string eab_key_id;  // "" when the account has no External Account Binding
};

// Fails (ErrorKind::io) when a value holds a line break or NUL, which would corrupt the file.
[[nodiscard]] Result<std::string> format_account_info(const AccountInfo& info);

// Lenient: missing keys stay "", and a last line without its newline still counts.
[[nodiscard]] AccountInfo parse_account_info(const std::string& text);

} // namespace wildcert::store
