#include "config/load.hpp"

#include "common/secure_wipe.hpp"
#include "config/document.hpp"
#include "config/sections.hpp"
#include "config/table_reader.hpp"
#include "config/wipe_secrets.hpp"

#include <algorithm>
#include <memory>
#include <system_error>
#include <utility>

namespace wildcert::config {
namespace {

struct WipeOnExit {
    Node& document;
    std::vector<EnvVariable>& variables;
    ~WipeOnExit() {
        wipe_document(document);
        wipe_variables(variables);
    }
};

Result<const Node*> required_table(TableReader& root, std::string_view key) {
    const Node* node = root.find(key);
    if (node == nullptr)
        return root.error(root.position(), key,
                          "missing required table [" + std::string(key) + "]");
    if (node->kind != Node::Kind::table)
        return root.wrong_type(*node, key, "a table ([" + std::string(key) + "])");
    return node;
}

Result<Profile> read_profile(const LoadContext& context, const Node& document) {
    Profile profile;
    TableReader root(context, document, "");
    // A misspelt top-level table ("[acm]") is best reported as itself, not as a missing one.
    for (const auto key : {"acme", "dns", "certificate"})
        root.mark_known(key);
    WILDCERT_CHECK(root.reject_unknown());

    WILDCERT_TRY(const Node* acme_node, required_table(root, "acme"));
    TableReader acme(context, *acme_node, "acme");
    WILDCERT_TRY(profile.acme, read_acme_section(acme));

    WILDCERT_TRY(const Node* dns_node, required_table(root, "dns"));
    TableReader dns(context, *dns_node, "dns");
    WILDCERT_TRY(profile.dns, read_dns_section(dns));

    const Node* certificates = root.find("certificate");
    if (certificates == nullptr)
        return root.error(root.position(), "certificate",
                          "missing: at least one [[certificate]] is needed");
    WILDCERT_TRY(profile.certificates, read_certificate_sections(root, *certificates));
    return profile;
}

} // namespace

Result<Profile> load_profile_with_environment(const std::filesystem::path& path,
                                              const EnvLookup& env, const EnvNames& names) {
    const std::string display_name = path.string();
    std::error_code ec;
    std::filesystem::path absolute = std::filesystem::absolute(path, ec);
    if (ec)
        return make_error(ErrorKind::profile, display_name + ": " + ec.message());
    absolute = absolute.lexically_normal();

    WILDCERT_TRY(Node document, parse_document(absolute, display_name));
    LoadContext context{display_name, absolute.parent_path(), env, {}};
    std::vector<EnvVariable> variables = profile_variables(env, names);
    // The Profile keeps what it needs; the tree and the variables' copies are zeroed however
    // the loading ends.
    const WipeOnExit wipe{document, variables};
    WILDCERT_CHECK(apply_environment(document, variables, env, context.environment));
    WILDCERT_TRY(Profile profile, read_profile(context, document));
    profile.path = absolute;
    profile.warnings = *context.warnings;
    return profile;
}

Result<ProfileCertificates> load_certificates_with_environment(const std::filesystem::path& path,
                                                               const EnvLookup& env,
                                                               const EnvNames& names) {
    const std::string display_name = path.string();
    std::error_code ec;
    std::filesystem::path absolute = std::filesystem::absolute(path, ec);
    if (ec)
        return make_error(ErrorKind::profile, display_name + ": " + ec.message());
    absolute = absolute.lexically_normal();

    // An unset variable is kept as written ("${NAME}", which no domain name, key type or
    // duration accepts, so a value `list` needs still fails, naming it) and remembered.
    auto unset = std::make_shared<std::vector<std::string>>();
    const EnvLookup lenient = [&env, unset](const std::string& name) -> std::optional<std::string> {
        if (auto value = env(name))
            return value;
        if (std::find(unset->begin(), unset->end(), name) == unset->end())
            unset->push_back(name);
        return "${" + name + "}";
    };
    WILDCERT_TRY(Node document, parse_document(absolute, display_name));
    LoadContext context{display_name, absolute.parent_path(), lenient, {}};
    std::vector<EnvVariable> variables = profile_variables(env, names);
    const WipeOnExit wipe{document, variables};
    WILDCERT_CHECK(apply_environment(document, variables, lenient, context.environment));
    TableReader root(context, document, "");
    const Node* certificates = root.find("certificate");
    if (certificates == nullptr)
        return root.error(root.position(), "certificate",
                          "missing: at least one [[certificate]] is needed");
    auto read = read_certificate_sections(root, *certificates);
    if (!read.ok()) {
        Error error = read.error();
        for (const auto& name : *unset)
            error.message += " (${" + name + "} is not set)";
        return error;
    }
    ProfileCertificates loaded{absolute, std::move(read).value(), *unset, *context.warnings};
    // Nothing read here is used to reach anyone: the secrets among it go at once.
    for (auto& certificate : loaded.certificates) {
        for (auto& output : certificate.outputs)
            secure_wipe(output.password);
    }
    return loaded;
}

Result<Profile> load_profile_with_env(const std::filesystem::path& path, const EnvLookup& env) {
    return load_profile_with_environment(path, env, EnvNames{});
}

} // namespace wildcert::config

namespace wildcert {

Result<ProfileCertificates> load_profile_certificates(const std::filesystem::path& path) {
    return config::load_certificates_with_environment(path, config::process_environment,
                                                      config::process_environment_names);
}

Result<Profile> load_profile(const std::filesystem::path& path) {
    return config::load_profile_with_environment(path, config::process_environment,
                                                 config::process_environment_names);
}

} // namespace wildcert
