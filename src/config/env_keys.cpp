#include "config/env_keys.hpp"

#include <array>

namespace wildcert::config {
namespace {

using enum EnvValueType;

// docs/dev/architecture.md §5, in the order of the section readers.
constexpr std::array k_section_keys{
    EnvKey{"acme.directory", string},
    EnvKey{"acme.ca_bundle", string},
    EnvKey{"acme.contact", string_array},
    EnvKey{"acme.accept_terms", boolean},
    EnvKey{"acme.account_key", string},
    EnvKey{"acme.staging_directory", string},
    EnvKey{"acme.caa_identities", string_array},
    EnvKey{"acme.request_timeout", duration},
    EnvKey{"acme.eab.key_id", string},
    EnvKey{"acme.eab.hmac_key", string},
    EnvKey{"acme.eab.hmac_key_file", string},
    EnvKey{"acme.eab.algorithm", string},
    EnvKey{"dns.provider", string},
    EnvKey{"dns.resolvers", string_array},
    EnvKey{"dns.nameservers", string_array},
    EnvKey{"dns.discovery", string},
    EnvKey{"dns.root_servers", string_array},
    EnvKey{"dns.propagation_check", string},
    EnvKey{"dns.follow_cname", boolean},
    EnvKey{"dns.propagation_wait", duration},
    EnvKey{"dns.propagation_timeout", duration},
    EnvKey{"dns.polling_interval", duration},
    EnvKey{"dns.ttl", duration},
};

constexpr std::array k_certificate_keys{
    EnvKey{"domains", string_array},   EnvKey{"key", string},
    EnvKey{"reuse_key", boolean},      EnvKey{"challenge_alias", string},
    EnvKey{"preferred_chain", string}, EnvKey{"profile", string},
    EnvKey{"renew_before", string},
};

} // namespace

std::span<const EnvKey> section_env_keys() {
    return k_section_keys;
}

std::span<const EnvKey> certificate_env_keys() {
    return k_certificate_keys;
}

std::string env_name_part(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        if (c == '.' || c == '-')
            out.push_back('_');
        else if (c >= 'a' && c <= 'z')
            out.push_back(static_cast<char>(c - 'a' + 'A'));
        else
            out.push_back(c);
    }
    return out;
}

} // namespace wildcert::config
