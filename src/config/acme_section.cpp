#include "config/sections.hpp"

#include "common/loopback_host.hpp"
#include "config/domain_name.hpp"
#include "config/known_directories.hpp"
#include "config/small_file.hpp"

#include <string_view>
#include <system_error>
#include <utility>

namespace wildcert::config {
namespace {

bool starts_with(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
}

bool has_space(std::string_view text) {
    for (const char c : text) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
            return true;
    }
    return false;
}

// Plain http is allowed only to this machine: a local test CA (RFC 8555 §6.1 requires HTTPS).
// The HTTP client applies the same rule again to every URL, including those the CA hands out.
bool is_loopback_http(std::string_view url) {
    return starts_with(url, "http://") && common::is_loopback_host(common::url_host(url));
}

// A bundle holds trust anchors, a few KB each; the system bundle is about 200 KB.
constexpr std::size_t k_max_ca_bundle_bytes = 16 * 1024 * 1024;

// The PEM labels OpenSSL loads as trust anchors (RFC 7468 §5; the other two are legacy).
bool has_pem_certificate(std::string_view content) {
    for (const std::string_view label :
         {"-----BEGIN CERTIFICATE-----", "-----BEGIN TRUSTED CERTIFICATE-----",
          "-----BEGIN X509 CERTIFICATE-----"}) {
        if (content.find(label) != std::string_view::npos)
            return true;
    }
    return false;
}

Result<std::string> directory_url(TableReader& acme, const Text& text, std::string_view key) {
    if (const auto url = known_directory_url(text.value))
        return std::string(*url);
    const bool https = starts_with(text.value, "https://") && text.value.size() > 8;
    if ((https || is_loopback_http(text.value)) && !has_space(text.value))
        return text.value;
    std::string known;
    for (const auto& entry : k_known_directories)
        known += (known.empty() ? "" : ", ") + std::string(entry.name);
    return acme.error(text.position, key,
                      text.shown() + " is neither an https:// URL nor a known CA (" + known +
                          "); plain http:// is allowed only to loopback (localhost, 127.0.0.0/8, "
                          "[::1])");
}

Result<std::string> read_directory(TableReader& acme) {
    WILDCERT_TRY(const Text text, acme.required_string("directory"));
    return directory_url(acme, text, "directory");
}

// staging_directory, else the "-staging" twin of a known production name, else "" (a dry run
// then uses the directory itself: a private CA or a test server has no separate staging).
Result<std::string> read_staging_directory(TableReader& acme) {
    WILDCERT_TRY(const std::optional<Text> text, acme.optional_string("staging_directory"));
    if (text)
        return directory_url(acme, *text, "staging_directory");
    const Node* directory = acme.find("directory");
    if (directory == nullptr || directory->kind != Node::Kind::string)
        return std::string();
    if (const auto twin = known_directory_url(directory->string + "-staging"))
        return std::string(*twin);
    return std::string();
}

Result<std::optional<std::filesystem::path>> read_ca_bundle(TableReader& acme) {
    WILDCERT_TRY(const std::optional<Text> text, acme.optional_string("ca_bundle"));
    if (!text)
        return std::optional<std::filesystem::path>{};
    if (text->value.empty())
        return acme.error(text->position, "ca_bundle", "is empty");
    const std::filesystem::path path = resolve_path(acme.context(), *text);
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (!std::filesystem::exists(status))
        return acme.error(text->position, "ca_bundle", text->shown() + " does not exist");
    if (std::filesystem::is_directory(status))
        return acme.error(text->position, "ca_bundle",
                          text->shown() + " is a directory; expected a PEM file");
    // Checked here, not only when the first HTTPS request loads it: a DER file or a key in
    // its place is a profile mistake (exit 2), and the user should hear the file's line.
    auto content = read_small_file(path, k_max_ca_bundle_bytes);
    if (!content.ok())
        return acme.error(text->position, "ca_bundle",
                          "cannot read " + text->shown() + ": " + content.error().message);
    if (!has_pem_certificate(*content))
        return acme.error(text->position, "ca_bundle",
                          text->shown() +
                              " holds no PEM certificate (expected \"-----BEGIN CERTIFICATE-----\" "
                              "blocks; convert DER with `openssl x509 -inform der`)");
    return std::optional<std::filesystem::path>{path};
}

Result<std::vector<std::string>> read_contact(TableReader& acme) {
    WILDCERT_TRY(const auto texts, acme.optional_string_array("contact"));
    std::vector<std::string> contact;
    if (!texts)
        return contact;
    for (std::size_t i = 0; i < texts->size(); ++i) {
        const Text& text = (*texts)[i];
        // RFC 8555 §7.3: contact URLs; CAs in practice accept only mailto:.
        if (!starts_with(text.value, "mailto:") || text.value.size() == 7 ||
            has_space(text.value)) {
            return acme.error(text.position, "contact" + element_suffix(i),
                              text.shown() +
                                  " is not a mailto: URL (write \"mailto:ops@example.com\")");
        }
        contact.push_back(text.value);
    }
    return contact;
}

// RFC 8659 §4.2: the issuer domain names a CA recognises in CAA issue properties.
Result<std::vector<std::string>> read_caa_identities(TableReader& acme) {
    WILDCERT_TRY(const auto texts, acme.optional_string_array("caa_identities"));
    std::vector<std::string> identities;
    if (!texts)
        return identities;
    for (std::size_t i = 0; i < texts->size(); ++i) {
        const Text& text = (*texts)[i];
        auto name = normalize_domain(text.value);
        if (!name.ok() || name->find('*') != std::string::npos)
            return acme.error(text.position, "caa_identities" + element_suffix(i),
                              text.shown() + " is not an issuer domain name (e.g. " +
                                  "\"letsencrypt.org\")");
        identities.push_back(std::move(name).value());
    }
    return identities;
}

// The deadline of one HTTP exchange with the CA, however the CA paces its bytes.
Result<std::chrono::milliseconds> read_request_timeout(TableReader& acme) {
    constexpr std::chrono::milliseconds k_min = std::chrono::seconds(1);
    constexpr std::chrono::milliseconds k_max = std::chrono::hours(1);
    WILDCERT_TRY(const auto timeout, read_duration(acme, "request_timeout"));
    if (timeout && (*timeout < k_min || *timeout > k_max))
        return acme.error(acme.find("request_timeout")->position, "request_timeout",
                          "must be from 1s to 1h");
    return timeout.value_or(AcmeSettings{}.request_timeout);
}

} // namespace

std::filesystem::path resolve_path(const LoadContext& context, const std::string& path) {
    const std::filesystem::path given(path);
    if (given.is_absolute())
        return given.lexically_normal();
    return (context.folder / given).lexically_normal();
}

std::filesystem::path resolve_path(const LoadContext& context, const Text& text) {
    if (!is_environment_line(text.position))
        return resolve_path(context, text.value);
    // A path in a variable means what it means to the shell that set it: relative to the
    // working directory (as for the providers' own variables), not to the profile.
    std::error_code ec;
    const std::filesystem::path absolute = std::filesystem::absolute(text.value, ec);
    return ec ? std::filesystem::path(text.value) : absolute.lexically_normal();
}

Result<KeyType> read_key_type(const TableReader& table, const Text& text, std::string_view key) {
    if (const auto type = parse_key_type(text.value))
        return *type;
    return table.error(text.position, key,
                       text.shown() +
                           " is not a key type (expected ec-p256, ec-p384, rsa-2048, rsa-3072 "
                           "or rsa-4096)");
}

Result<AcmeSettings> read_acme_section(TableReader& acme) {
    AcmeSettings settings;
    WILDCERT_TRY(settings.directory_url, read_directory(acme));
    WILDCERT_TRY(settings.staging_directory_url, read_staging_directory(acme));
    WILDCERT_TRY(settings.ca_bundle, read_ca_bundle(acme));
    WILDCERT_TRY(settings.contact, read_contact(acme));
    WILDCERT_TRY(const std::optional<bool> accept_terms, acme.optional_bool("accept_terms"));
    settings.accept_terms = accept_terms.value_or(false);
    WILDCERT_TRY(const std::optional<Text> account_key, acme.optional_string("account_key"));
    if (account_key) {
        WILDCERT_TRY(settings.account_key, read_key_type(acme, *account_key, "account_key"));
    }
    WILDCERT_TRY(settings.caa_identities, read_caa_identities(acme));
    WILDCERT_TRY(settings.request_timeout, read_request_timeout(acme));
    if (const Node* eab_node = acme.find("eab")) {
        if (eab_node->kind != Node::Kind::table)
            return acme.wrong_type(*eab_node, "eab", "a table ([acme.eab])");
        TableReader eab(acme.context(), *eab_node, "acme.eab");
        WILDCERT_TRY(settings.eab, read_eab_section(eab));
    }
    WILDCERT_CHECK(acme.reject_unknown());
    return settings;
}

} // namespace wildcert::config
