#include "config/profile_keys.hpp"

#include <array>

namespace wildcert::config {
namespace {

// In the order of the section readers (docs/dev/architecture.md §5). The man page lists them so.
constexpr std::array k_keys{
    ProfileKey{"", "acme", "table", "", true, "The ACME account: which CA, and how to reach it."},
    ProfileKey{"", "dns", "table", "", true,
               "How TXT records are published and how their propagation is checked."},
    ProfileKey{"", "certificate", "array of tables", "", true,
               "One [[certificate]] table per certificate (at least one)."},

    ProfileKey{"acme", "directory", "string", "", true,
               "The CA's ACME directory URL (https://; plain http:// only to loopback), or a "
               "known CA name: letsencrypt, letsencrypt-staging, zerossl, google, "
               "google-staging, buypass, buypass-staging, actalis."},
    ProfileKey{"acme", "staging_directory", "string", "the known CA's staging twin", false,
               "The directory that --dry-run uses (setting it says that a dry run there is "
               "meant); without it, the \"-staging\" twin of a known CA, else directory itself, "
               "which a dry run then refuses unless it is a known staging or test CA (Let's "
               "Encrypt staging, loopback, a .test or .localhost host) or "
               "--dry-run-against-production is given."},
    ProfileKey{"acme", "ca_bundle", "string (file)", "", false,
               "A PEM file of extra trust anchors for the TLS connection to the CA, added to "
               "the system's; relative to the profile's folder."},
    ProfileKey{"acme", "contact", "array of strings", "[]", false,
               "mailto: URLs the CA may write to about the account."},
    ProfileKey{"acme", "accept_terms", "boolean", "false", false,
               "Agree to the CA's terms of service when the account is created."},
    ProfileKey{"acme", "account_key", "string", "ec-p256", false,
               "The account key type: ec-p256, ec-p384, rsa-2048, rsa-3072 or rsa-4096."},
    ProfileKey{"acme", "caa_identities", "array of strings",
               "the directory's caaIdentities, else the known CA's domain", false,
               "The issuer domain names that `wildcert check` looks for in CAA records "
               "(RFC 8659)."},
    ProfileKey{"acme", "request_timeout", "duration", "30s", false,
               "The total deadline of one HTTP exchange with the CA (1s to 1h), however "
               "slowly the server sends its bytes."},
    ProfileKey{"acme", "eab", "table", "", false,
               "External Account Binding (RFC 8555 section 7.3.4), where the CA requires it."},

    ProfileKey{"acme.eab", "key_id", "string", "", true, "The key identifier the CA gave."},
    ProfileKey{"acme.eab", "hmac_key", "string (secret)", "", false,
               "The MAC key the CA gave, base64url or base64, padded or not. Exactly one of "
               "hmac_key and hmac_key_file is needed."},
    ProfileKey{"acme.eab", "hmac_key_file", "string (file)", "", false,
               "A file that holds the MAC key instead (trailing newlines dropped; keep it "
               "0600)."},
    ProfileKey{"acme.eab", "algorithm", "string", "HS256", false,
               "The MAC algorithm: HS256, HS384 or HS512."},

    ProfileKey{"dns", "provider", "string", "", true,
               "The DNS provider that publishes the TXT records (see PROVIDERS)."},
    ProfileKey{"dns", "resolvers", "array of strings", "the system's resolvers", false,
               "host:port resolvers used to find each name's zone and nameservers."},
    ProfileKey{"dns", "nameservers", "array of strings", "[]", false,
               "When set: check propagation at exactly these host:port servers and skip "
               "discovery."},
    ProfileKey{"dns", "discovery", "string", "resolvers", false,
               "How the zone's servers are found: \"resolvers\", or \"delegation\" (follow "
               "the public delegation down from the root servers, for split horizon)."},
    ProfileKey{"dns", "root_servers", "array of strings", "the IANA root servers", false,
               "host:port root servers for discovery = \"delegation\"."},
    ProfileKey{"dns", "propagation_check", "string", "authoritative", false,
               "Where the records must be seen before the CA is asked to validate: "
               "\"authoritative\" (every authoritative server), \"resolvers\" (those and the "
               "resolvers), or \"none\"."},
    ProfileKey{"dns", "follow_cname", "boolean", "true", false,
               "Follow a CNAME found at _acme-challenge.<name> and publish the records at its "
               "target; false publishes at _acme-challenge.<name> without looking."},
    ProfileKey{"dns", "propagation_wait", "duration", "0s", false,
               "A fixed pause after publishing, before the check (\"90s\", or seconds as an "
               "integer)."},
    ProfileKey{"dns", "propagation_timeout", "duration", "120s", false,
               "How long the propagation check may take before the run fails; it ends by then "
               "plus one DNS question's timeout (2s), however the servers answer."},
    ProfileKey{"dns", "polling_interval", "duration", "2s", false,
               "The pause between two rounds of the propagation check (longer than 0)."},
    ProfileKey{"dns", "ttl", "duration", "60s", false,
               "The TTL of the challenge records, whole seconds from 1s to 1d (\"5m\", or "
               "seconds as an integer)."},
    ProfileKey{"dns", "<provider>", "table", "", false,
               "[dns.<provider>]: the settings of the provider named by dns.provider (see "
               "PROVIDERS); a table for another provider is an error."},

    ProfileKey{"certificate", "name", "string", "", true,
               "The certificate's folder under live/ and archive/: letters, digits, '.', '_' "
               "and '-'; unique in the profile."},
    ProfileKey{"certificate", "domains", "array of strings", "", true,
               "The names of the certificate, wildcards (\"*.example.com\") included; at "
               "least one, none twice."},
    ProfileKey{"certificate", "key", "string", "ec-p256", false,
               "The certificate key type: ec-p256, ec-p384, rsa-2048, rsa-3072 or rsa-4096."},
    ProfileKey{"certificate", "reuse_key", "boolean", "false", false,
               "Keep the private key across renewals instead of making a new one each time."},
    ProfileKey{"certificate", "challenge_alias", "string", "", false,
               "Write and check the TXT records of every name at this owner name instead of "
               "_acme-challenge.<name> (whose CNAME must point here)."},
    ProfileKey{"certificate", "challenge_aliases", "table", "{}", false,
               "The same per name: { \"<domain of this certificate>\" = \"<owner name>\" }; "
               "takes precedence over challenge_alias."},
    ProfileKey{"certificate", "preferred_chain", "string", "the CA's default chain", false,
               "Take the alternate chain whose top certificate was issued by this common "
               "name."},
    ProfileKey{"certificate", "profile", "string", "the CA's default", false,
               "An ACME certificate profile the CA offers in its directory's meta.profiles."},
    ProfileKey{"certificate", "renew_before", "string", "1/3", false,
               "Renew when less than this is left: a fraction of the lifetime (\"1/3\", "
               "\"0.25\") or a duration (\"30d\", \"720h\")."},
    ProfileKey{"certificate", "output", "array of tables", "", false,
               "[[certificate.output]]: extra copies of the certificate, written atomically "
               "after each new version."},
    ProfileKey{"certificate", "deploy", "array of tables", "", false,
               "[[certificate.deploy]]: deployments (commands, HAProxy, SSH hosts, "
               "services), in order, after the certificate changed."},

    ProfileKey{"certificate.output", "format", "string", "", true,
               "pem-bundle (key, leaf, chain in one file), pkcs12 (encrypted with password) "
               "or der (the leaf alone)."},
    ProfileKey{"certificate.output", "path", "string (file)", "", true,
               "The file to write; relative to the profile's folder. No two outputs write "
               "the same file."},
    ProfileKey{"certificate.output", "password", "string (secret)", "", false,
               "The PKCS#12 password (pkcs12 only, which needs it or password_file)."},
    ProfileKey{"certificate.output", "password_file", "string (file)", "", false,
               "A file that holds the PKCS#12 password instead (trailing newlines dropped)."},
    ProfileKey{"certificate.output", "mode", "string", "0600", false,
               "The file's permission bits, 3 or 4 octal digits; the owner must read it, "
               "others may not write it, and a pem-bundle is not world-readable."},

    ProfileKey{"certificate.deploy", "type", "string", "command", false,
               "The deployer: command, haproxy, ssh or service (`wildcert deployers` lists "
               "them and their keys, which go in this table or in its targets)."},
    ProfileKey{"certificate.deploy", "command", "array of strings", "", false,
               "type command: the program and its arguments, run without a shell; the "
               "program is found through PATH."},
    ProfileKey{"certificate.deploy", "timeout", "duration", "60s", false,
               "type command: how long the command may run before its process group is "
               "stopped."},
    ProfileKey{"certificate.deploy", "targets", "array of tables", "", false,
               "Where the deployer deploys, each with its own keys (they override the "
               "entry's); none: the entry is the one target."},
    ProfileKey{"certificate.deploy", "verify", "array of strings or tables", "", false,
               "Endpoints (\"host:port\" or { address, sni }) that must serve the new "
               "certificate after the deploy; also in a target."},
    ProfileKey{"certificate.deploy.verify", "address", "string", "", true,
               "host:port of the TLS endpoint to check."},
    ProfileKey{"certificate.deploy.verify", "sni", "string", "", false,
               "The server name to send; default the certificate's first non-wildcard name."},
    ProfileKey{"certificate.deploy.targets.verify", "address", "string", "", true,
               "host:port of the TLS endpoint to check."},
    ProfileKey{"certificate.deploy.targets.verify", "sni", "string", "", false,
               "The server name to send; default the certificate's first non-wildcard name."},
    ProfileKey{"certificate.deploy", "verify_timeout", "duration", "60s", false,
               "How long verification retries (with backoff) while a reload takes effect."},
    ProfileKey{"certificate.deploy", "dry_run", "boolean", "false", false,
               "Deploy the dry run's certificate here with --dry-run --run-hooks (types "
               "other than command, which always run then)."},
};

} // namespace

std::span<const ProfileKey> profile_keys() {
    return k_keys;
}

std::string profile_section(std::string_view table_path) {
    std::string section;
    bool in_index = false;
    for (const char c : table_path) {
        if (c == '[')
            in_index = true;
        else if (c == ']')
            in_index = false;
        else if (!in_index)
            section.push_back(c);
    }
    return section;
}

const ProfileKey* find_profile_key(std::string_view section, std::string_view key, bool is_table) {
    const ProfileKey* placeholder = nullptr;
    for (const auto& entry : k_keys) {
        if (entry.section != section)
            continue;
        if (entry.key == key)
            return &entry;
        if (is_table && entry.key.starts_with('<'))
            placeholder = &entry;
    }
    return placeholder;
}

} // namespace wildcert::config
