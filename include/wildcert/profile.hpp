#pragma once
// The typed form of a TOML profile (ARCHITECTURE.md §5).

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
};

// [dns.<provider>] as written, after ${VAR} interpolation and <key>_file resolution.
struct ProviderConfig {
    std::string name; // dns.provider
    std::map<std::string, SettingValue> settings;
    std::string origin; // where dns.provider was set
};

struct AcmeSettings {
    std::string directory_url;
    std::optional<std::filesystem::path> ca_bundle;
    std::vector<std::string> contact;
    bool accept_terms = false;
    KeyType account_key = KeyType::ec_p256;
};

enum class PropagationCheck { authoritative, resolvers, none };

struct DnsSettings {
    ProviderConfig provider;
    std::vector<std::string> resolvers;   // "host:port"; empty: the system's
    std::vector<std::string> nameservers; // "host:port"; non-empty: check exactly these
    PropagationCheck propagation_check = PropagationCheck::authoritative;
    std::chrono::milliseconds propagation_wait{0};
    std::chrono::milliseconds propagation_timeout{std::chrono::seconds(120)};
    std::chrono::milliseconds polling_interval{std::chrono::seconds(2)};
    std::chrono::seconds ttl{60};
};

struct CertificateSettings {
    std::string name;                 // folder name under live/
    std::vector<std::string> domains; // lower case, validated, order kept
    KeyType key = KeyType::ec_p256;
    bool reuse_key = false;
    std::string preferred_chain; // issuer CN of the wanted chain's top certificate; "": default
    std::string profile;         // ACME profile the CA offers (meta.profiles); "": CA's default
    std::string origin;          // where the [[certificate]] table starts
};

struct Profile {
    std::filesystem::path path;
    AcmeSettings acme;
    DnsSettings dns;
    std::vector<CertificateSettings> certificates;
};

// Reads and validates a profile. Errors are ErrorKind::profile and name file, line and key.
[[nodiscard]] Result<Profile> load_profile(const std::filesystem::path& path);

} // namespace wildcert
