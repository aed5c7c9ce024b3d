#pragma once
// The typed form of a TOML profile (docs/dev/architecture.md §5).

#include <wildcert/key_type.hpp>
#include <wildcert/result.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace wildcert {

// One key of a provider table, kept untyped: the provider's descriptor gives it meaning.
struct SettingValue {
    std::variant<std::string, std::int64_t, bool> value;
    std::string origin; // "path/profile.toml:12" for error messages
    // A string from a WILDCERT_DNS_<PROVIDER>_<KEY> variable: the provider's descriptor, which
    // knows the key's type, converts it ("60" for an integer setting).
    bool from_environment = false;
    // A string that held ${VAR}: like one from the environment, never quoted in a message.
    bool interpolated = false;
};

// [dns.<provider>] as written, after ${VAR} interpolation and <key>_file resolution.
struct ProviderConfig {
    std::string name; // dns.provider
    std::map<std::string, SettingValue> settings;
    std::string origin; // where dns.provider was set
};

// RFC 8555 §7.3.4 MAC algorithms for the External Account Binding (RFC 7518 §3.2).
enum class EabAlgorithm { hs256, hs384, hs512 };

// [acme.eab]: the credentials a CA hands out to bind an ACME account to a customer.
struct EabSettings {
    std::string key_id;   // ASCII, as the CA gave it
    std::string hmac_key; // a secret: base64url or base64, padded or not, as the CA gave it
    EabAlgorithm algorithm = EabAlgorithm::hs256;
    std::string origin; // "path/profile.toml:12" where [acme.eab] starts
};

struct AcmeSettings {
    std::string directory_url;
    std::optional<std::filesystem::path> ca_bundle;
    std::vector<std::string> contact;
    bool accept_terms = false;
    KeyType account_key = KeyType::ec_p256;
    std::optional<EabSettings> eab; // [acme.eab]
    // The directory `--dry-run` uses. "": the staging twin of a known production directory
    // (letsencrypt -> letsencrypt-staging, ...), else directory_url itself.
    std::string staging_directory_url;
    // The CA's CAA issuer domains for `wildcert check` (RFC 8659 §4.2), e.g. "letsencrypt.org".
    // Empty: the directory's meta.caaIdentities, else the known CA's domain.
    std::vector<std::string> caa_identities;
    // The deadline of one HTTP exchange with the CA, from connecting to the body's last byte.
    std::chrono::milliseconds request_timeout{std::chrono::seconds(30)};
};

enum class PropagationCheck { authoritative, resolvers, none };

// How the zone and its authoritative servers are found: through the resolvers (which may
// answer from a private view of the zone), or by following the public delegation down from
// the root servers (split horizon: the servers the CA will ask).
enum class DiscoveryMode { resolvers, delegation };

struct DnsSettings {
    ProviderConfig provider;
    std::vector<std::string> resolvers;   // "host:port"; empty: the system's
    std::vector<std::string> nameservers; // "host:port"; non-empty: check exactly these
    DiscoveryMode discovery = DiscoveryMode::resolvers;
    std::vector<std::string> root_servers; // "host:port"; empty: the IANA root servers
    PropagationCheck propagation_check = PropagationCheck::authoritative;
    // false: publish at _acme-challenge.<name> without looking for a CNAME there (for those
    // who know there is none, or whose resolvers cannot be reached from here).
    bool follow_cname = true;
    std::chrono::milliseconds propagation_wait{0};
    std::chrono::milliseconds propagation_timeout{std::chrono::seconds(120)};
    std::chrono::milliseconds polling_interval{std::chrono::seconds(2)};
    std::chrono::seconds ttl{60};
};

// renew_before: a fraction of the lifetime left ("1/3", "0.25") or a duration ("30d").
struct RenewBefore {
    double fraction = 1.0 / 3.0; // used when `duration` is unset
    std::optional<std::chrono::seconds> duration;
};

// [[certificate.output]]: an extra copy of the certificate beyond live/, written atomically.
enum class OutputFormat {
    pem_bundle, // private key, then leaf, then intermediates (HAProxy, many appliances)
    pkcs12,     // key + leaf + chain, encrypted with `password` (firewalls, IIS, Java)
    der,        // the leaf certificate alone, DER
};

struct OutputSettings {
    OutputFormat format = OutputFormat::pem_bundle;
    std::filesystem::path path; // absolute after loading (relative: to the profile's folder)
    std::string password;       // pkcs12 only; a secret
    std::filesystem::perms mode =
        std::filesystem::perms::owner_read | std::filesystem::perms::owner_write; // default 0600
    std::string origin; // where the [[certificate.output]] table starts
    // "<file>:<line>: certificate[0].output[1].path", for checks made after loading (an
    // output inside the state directory, which only the command line names).
    std::string path_origin;
};

// One endpoint a deploy entry checks after it ran (verify = [...]): wildcert connects with TLS,
// with `sni` as the server name, and compares the certificate served with the new one.
struct VerifyEndpoint {
    std::string address; // "host:port"
    std::string sni;     // server name sent; "" = the certificate's first name
    std::string origin;  // "path/profile.toml:12: certificate[0].deploy[1].verify[0]"
};

// The keys of one deploy entry or one of its targets that its deployer reads (the deployer's
// descriptor, deployers/, gives them meaning), kept untyped as [dns.<provider>] tables are.
using DeployerSettings = std::map<std::string, SettingValue>;

// One of `targets = [{...}, ...]` of a deploy entry: its keys override the entry's.
struct DeployTargetSettings {
    DeployerSettings settings;
    std::vector<VerifyEndpoint> verify; // checked after this target is deployed
    std::string origin;                 // "path/profile.toml:12", where its table starts
    std::string key_path;               // "certificate[0].deploy[0].targets[1]"
};

// [[certificate.deploy]]: one deployment after the certificate changed, in profile order.
// type "command" (the default when `command` is set) runs a program; the others (haproxy,
// ssh, service, ...) are deployers/<type>/ and read `settings` and `targets`.
struct DeploySettings {
    std::string type = "command";
    std::vector<std::string> command; // type command: argv, no shell; found through PATH
    std::string shown; // command for logs and reports: ${VAR} arguments as written, not values
    std::chrono::milliseconds timeout{std::chrono::seconds(60)};
    DeployerSettings settings; // the entry's own keys, for types other than command
    // targets = [{...}, ...]; none: the entry itself is the one target.
    std::vector<DeployTargetSettings> targets;
    // Checked once every target ran (with one target: after it). A mismatch fails the
    // entry's targets, so the next run deploys them again.
    std::vector<VerifyEndpoint> verify;
    std::chrono::milliseconds verify_timeout{std::chrono::seconds(60)};
    bool dry_run = false; // `--dry-run --run-hooks` deploys to this entry (other types)
    std::string origin;   // where the [[certificate.deploy]] table starts
    std::string key_path; // "certificate[0].deploy[1]"
};

struct CertificateSettings {
    std::string name;                 // folder name under live/
    std::vector<std::string> domains; // lower case, validated, order kept
    KeyType key = KeyType::ec_p256;
    bool reuse_key = false;
    // Where the TXT records of every name of this certificate are written and checked,
    // instead of _acme-challenge.<name> (whose CNAME must point here for the CA to see them).
    // Absolute, lower case; "" = _acme-challenge.<name>, following a CNAME found in DNS.
    std::string challenge_alias;
    // The same per name (challenge_aliases = { "www.example.com" = "..." }): key is a domain
    // of the certificate without "*." (a wildcard and its apex share one validation name),
    // value an absolute owner name. Takes precedence over challenge_alias for that name.
    std::map<std::string, std::string> challenge_aliases;
    std::string preferred_chain; // issuer CN of the wanted chain's top certificate; "": default
    std::string profile;         // ACME profile the CA offers (meta.profiles); "": CA's default
    RenewBefore renew_before;
    std::vector<OutputSettings> outputs; // [[certificate.output]]
    std::vector<DeploySettings> deploy;  // [[certificate.deploy]]
    std::string origin;                  // where the [[certificate]] table starts
};

struct Profile {
    std::filesystem::path path;
    AcmeSettings acme;
    DnsSettings dns;
    std::vector<CertificateSettings> certificates;
    // Not errors, but worth an operator's attention, e.g. a secret file others may read.
    std::vector<std::string> warnings;
};

// Reads and validates a profile. Errors are ErrorKind::profile and name file, line and key.
[[nodiscard]] Result<Profile> load_profile(const std::filesystem::path& path);

// The [[certificate]] tables of a profile, for `wildcert list`.
struct ProfileCertificates {
    std::filesystem::path path; // absolute
    std::vector<CertificateSettings> certificates;
    std::vector<std::string> unset_variables; // ${VAR}s that were not set, kept as written
    std::vector<std::string> warnings;
};

// Reads only the [[certificate]] tables: [acme] and [dns], which hold the CA's and the DNS
// provider's credentials, are not read at all, and a ${VAR} that is not set is kept as
// written instead of failing (an output's password, a hook's argument: nothing list uses).
// The outputs' passwords are not kept. Errors as load_profile's.
[[nodiscard]] Result<ProfileCertificates>
load_profile_certificates(const std::filesystem::path& path);

} // namespace wildcert
