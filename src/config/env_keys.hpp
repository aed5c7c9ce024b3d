#pragma once
// The profile keys that WILDCERT_* variables can set, and how a key path becomes a variable
// name. One table for all of them (env_keys.cpp): a key added to a section reader must be
// added there too, or its variable is reported as a typo.

#include <span>
#include <string>
#include <string_view>

namespace wildcert::config {

// What the variable's text is converted to before the section readers see it.
enum class EnvValueType {
    string,
    integer,      // decimal, optional '-'
    boolean,      // "true" or "false"
    string_array, // comma-separated; spaces around each item are dropped
    duration,     // digits alone: seconds (an integer); anything else: text ("90s", "1m30s")
};

struct EnvKey {
    std::string_view path; // dotted key: "acme.eab.hmac_key"; relative for a certificate
    EnvValueType type;
};

// Keys of [acme], [acme.eab] and [dns]. Provider keys ([dns.<provider>]) are not listed: any
// WILDCERT_DNS_<PROVIDER>_<KEY> is passed on and the provider's descriptor judges it.
[[nodiscard]] std::span<const EnvKey> section_env_keys();

// Keys of one [[certificate]], addressed as WILDCERT_CERTIFICATE_<NAME>_<KEY>. `name` is the
// address, not a settable key; output, deploy and challenge_aliases are tables, not settable.
[[nodiscard]] std::span<const EnvKey> certificate_env_keys();

// A key path or name as it appears in a variable name: upper case, '.' and '-' become '_'.
[[nodiscard]] std::string env_name_part(std::string_view text);

} // namespace wildcert::config
