#include "config/redacted.hpp"

#include "config/duration.hpp"

#include <cstdio>
#include <type_traits>

namespace wildcert::config {
namespace {

constexpr std::string_view k_redacted = "<redacted>";

// A TOML basic string (TOML 1.0 "String"): escapes what the grammar requires.
std::string quote(std::string_view text) {
    std::string out = "\"";
    for (const char c : text) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\r':
            out += "\\r";
            break;
        default:
            if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
                char escaped[8];
                std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
                out += escaped;
            } else {
                out.push_back(c);
            }
        }
    }
    return out + "\"";
}

std::string quote_list(const std::vector<std::string>& items) {
    std::string out = "[";
    for (std::size_t i = 0; i < items.size(); ++i)
        out += (i == 0 ? "" : ", ") + quote(items[i]);
    return out + "]";
}

const char* check_name(PropagationCheck check) {
    switch (check) {
    case PropagationCheck::authoritative:
        return "authoritative";
    case PropagationCheck::resolvers:
        return "resolvers";
    case PropagationCheck::none:
        return "none";
    }
    return "unknown";
}

// TOML 1.0 "Keys": bare keys are A-Za-z0-9_-; anything else must be quoted.
std::string key_text(std::string_view key) {
    if (key.empty())
        return quote(key);
    for (const char c : key) {
        const bool bare = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                          (c >= '0' && c <= '9') || c == '_' || c == '-';
        if (!bare)
            return quote(key);
    }
    return std::string(key);
}

std::string bool_text(bool value) {
    return value ? "true" : "false";
}

std::string setting_text(const SettingValue& setting) {
    return std::visit(
        [](const auto& value) -> std::string {
            using T = std::decay_t<decltype(value)>;
            if constexpr (std::is_same_v<T, std::string>)
                return quote(value);
            else if constexpr (std::is_same_v<T, bool>)
                return bool_text(value);
            else
                return std::to_string(value);
        },
        setting.value);
}

void describe_acme(const AcmeSettings& acme, std::string& out) {
    out += "[acme]\n";
    out += "directory = " + quote(acme.directory_url) + "\n";
    if (acme.ca_bundle)
        out += "ca_bundle = " + quote(acme.ca_bundle->string()) + "\n";
    out += "contact = " + quote_list(acme.contact) + "\n";
    out += "accept_terms = " + bool_text(acme.accept_terms) + "\n";
    out += "account_key = " + quote(to_string(acme.account_key)) + "\n";
    if (acme.eab) {
        // The MAC key is the CA's secret: only its presence is shown.
        constexpr const char* k_algorithms[] = {"HS256", "HS384", "HS512"};
        out += "\n[acme.eab]  # " + acme.eab->origin + "\n";
        out += "key_id = " + quote(acme.eab->key_id) + "\n";
        out += "hmac_key = " + quote(k_redacted) + "\n";
        out += "algorithm = " + quote(k_algorithms[static_cast<int>(acme.eab->algorithm)]) + "\n";
    }
}

void describe_dns(const DnsSettings& dns, const SecretPredicate& is_secret, std::string& out) {
    out += "\n[dns]\n";
    out += "provider = " + quote(dns.provider.name) + "\n";
    out += "resolvers = " + quote_list(dns.resolvers) + "\n";
    out += std::string("discovery = ") +
           (dns.discovery == DiscoveryMode::delegation ? "\"delegation\"" : "\"resolvers\"") + "\n";
    if (!dns.root_servers.empty())
        out += "root_servers = " + quote_list(dns.root_servers) + "\n";
    out += "nameservers = " + quote_list(dns.nameservers) + "\n";
    out += "propagation_check = " + quote(check_name(dns.propagation_check)) + "\n";
    out += "follow_cname = " + bool_text(dns.follow_cname) + "\n";
    out += "propagation_wait = " + quote(format_duration(dns.propagation_wait)) + "\n";
    out += "propagation_timeout = " + quote(format_duration(dns.propagation_timeout)) + "\n";
    out += "polling_interval = " + quote(format_duration(dns.polling_interval)) + "\n";
    out += "ttl = " + std::to_string(dns.ttl.count()) + "\n";

    out += "\n[dns." + dns.provider.name + "]\n";
    for (const auto& [key, setting] : dns.provider.settings) {
        const std::string value =
            is_secret(dns.provider.name, key) ? quote(k_redacted) : setting_text(setting);
        out += key_text(key) + " = " + value + "  # " + setting.origin + "\n";
    }
}

const char* format_name(OutputFormat format) {
    switch (format) {
    case OutputFormat::pem_bundle:
        return "pem-bundle";
    case OutputFormat::pkcs12:
        return "pkcs12";
    case OutputFormat::der:
        return "der";
    }
    return "unknown";
}

// The PKCS#12 password is a secret: only its presence is shown.
void describe_output(const OutputSettings& output, std::string& out) {
    char mode[16];
    std::snprintf(mode, sizeof mode, "%04o",
                  static_cast<unsigned>(output.mode & std::filesystem::perms::mask));
    out += "\n[[certificate.output]]  # " + output.origin + "\n";
    out += "format = " + quote(format_name(output.format)) + "\n";
    out += "path = " + quote(output.path.string()) + "\n";
    if (output.format == OutputFormat::pkcs12)
        out += "password = " + quote(k_redacted) + "\n";
    out += "mode = " + quote(mode) + "\n";
}

void describe_certificate(const CertificateSettings& certificate, std::string& out) {
    out += "\n[[certificate]]  # " + certificate.origin + "\n";
    out += "name = " + quote(certificate.name) + "\n";
    out += "domains = " + quote_list(certificate.domains) + "\n";
    out += "key = " + quote(to_string(certificate.key)) + "\n";
    out += "reuse_key = " + bool_text(certificate.reuse_key) + "\n";
    if (!certificate.challenge_alias.empty())
        out += "challenge_alias = " + quote(certificate.challenge_alias) + "\n";
    for (const auto& [name, owner] : certificate.challenge_aliases)
        out += "challenge_aliases." + quote(name) + " = " + quote(owner) + "\n";
    if (!certificate.preferred_chain.empty())
        out += "preferred_chain = " + quote(certificate.preferred_chain) + "\n";
    if (!certificate.profile.empty())
        out += "profile = " + quote(certificate.profile) + "\n";
    for (const auto& output : certificate.outputs)
        describe_output(output, out);
}

} // namespace

std::string describe_profile(const Profile& profile, const SecretPredicate& is_secret) {
    std::string out = "# effective configuration of " + profile.path.string() + "\n";
    describe_acme(profile.acme, out);
    describe_dns(profile.dns, is_secret, out);
    for (const auto& certificate : profile.certificates)
        describe_certificate(certificate, out);
    return out;
}

} // namespace wildcert::config
