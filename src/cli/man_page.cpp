#include "cli/man_page.hpp"

#include "cli/command_table.hpp"
#include "cli/exit_codes.hpp"
#include "cli/text_wrap.hpp"
#include "config/profile_keys.hpp"
#include "providers/descriptor.hpp"
#include "wildcert_version.h"

namespace wildcert::cli {
namespace {

std::string header(std::string_view title, std::string_view section, std::string_view manual) {
    return ".TH " + std::string(title) + " " + std::string(section) + " \"\" \"wildcert " +
           WILDCERT_VERSION + "\" \"" + std::string(manual) + "\"\n";
}

// A synopsis line; one that starts with a space goes on with the one before it.
std::string synopsis_line(std::string_view line) {
    return (line.starts_with(' ') ? std::string(9, ' ') : std::string("\\fBwildcert\\fR ")) +
           roff_escape(line) + '\n';
}

// Paragraphs separated by "\n\n", each its own .PP.
std::string paragraphs(std::string_view text) {
    std::string out;
    for (const auto paragraph : split_paragraphs(text))
        out += ".PP\n" + roff_escape(paragraph) + '\n';
    return out;
}

std::string option_item(const OptionSpec& option) {
    std::string label = option.short_name != 0
                            ? "\\fB\\-" + std::string(1, option.short_name) + "\\fR, "
                            : std::string();
    label += "\\fB\\-\\-" + roff_escape(option.long_name) + "\\fR";
    const std::string value = "\\fI" + roff_escape(option.value_name) + "\\fR";
    if (option.value == ValueMode::required)
        label += " " + value;
    else if (option.value == ValueMode::optional)
        label += "[=" + value + "]";
    std::string help = roff_escape(option.help);
    if (option.repeatable && option.help.find("repeatable") == std::string_view::npos)
        help += " (repeatable)";
    return ".TP\n" + label + "\n" + help + '\n';
}

std::string command_section(const CommandSpec& command) {
    std::string out = ".SS " + roff_escape(command.name) + "\n.nf\n";
    for (const auto line : command.synopsis)
        out += synopsis_line(line);
    out +=
        ".fi\n" + paragraphs(std::string(command.summary) + ".") + paragraphs(command.description);
    if (!command.options.empty()) {
        out += ".PP\nOptions:\n.RS\n";
        for (const auto name : command.options)
            out += option_item(*find_long_option(name));
        out += ".RE\n";
    }
    if (!command.examples.empty()) {
        out += ".PP\nExamples:\n.RS\n";
        for (const auto& example : command.examples)
            out += ".TP\n\\fBwildcert " + roff_escape(example.command) + "\\fR\n" +
                   roff_escape(example.what) + '\n';
        out += ".RE\n";
    }
    return out;
}

// "[acme]", "[[certificate]]", "[[certificate.output]]": as the section is written in TOML.
std::string section_heading(std::string_view section) {
    const auto dot = section.rfind('.');
    const std::string_view parent = dot == std::string_view::npos ? "" : section.substr(0, dot);
    const std::string_view key = dot == std::string_view::npos ? section : section.substr(dot + 1);
    const auto* entry = config::find_profile_key(parent, key, true);
    const bool array = entry != nullptr && entry->type == "array of tables";
    return array ? "[[" + std::string(section) + "]]" : "[" + std::string(section) + "]";
}

std::string key_item(const config::ProfileKey& key) {
    std::string kind(key.type);
    if (key.required)
        kind += ", required";
    else if (!key.default_value.empty())
        kind += ", default: " + std::string(key.default_value);
    return ".TP\n\\fB" + roff_escape(key.key) + "\\fR (" + roff_escape(kind) + ")\n" +
           roff_escape(key.description) + '\n';
}

std::string_view setting_type(providers::SettingType type) {
    switch (type) {
    case providers::SettingType::integer:
        return "integer";
    case providers::SettingType::boolean:
        return "boolean";
    case providers::SettingType::duration:
        return "duration";
    case providers::SettingType::string:
        break;
    }
    return "string";
}

std::string provider_section(const providers::ProviderDescriptor& provider) {
    std::string out = ".SS [dns." + roff_escape(provider.name) + "]\n.PP\n" +
                      roff_escape(provider.summary) + ".\n";
    for (const auto& setting : provider.settings) {
        std::string kind(setting_type(setting.type));
        if (setting.required)
            kind += ", required";
        else if (!setting.default_value.empty())
            kind += ", default: " + std::string(setting.default_value);
        if (setting.secret)
            kind += ", secret";
        std::string text(setting.help);
        if (!setting.env.empty())
            text +=
                " Environment variable when the key is absent: " + std::string(setting.env) + ".";
        if (setting.secret)
            text += " Never printed; may also be given as " + std::string(setting.key) + "_file.";
        out += ".TP\n\\fB" + roff_escape(setting.key) + "\\fR (" + roff_escape(kind) + ")\n" +
               roff_escape(text) + '\n';
    }
    return out;
}

} // namespace

std::string roff_escape(std::string_view text) {
    std::string out;
    for (const char c : text) {
        if (c == '\\')
            out += "\\e";
        else if (c == '-')
            out += "\\-";
        else if (c == '\n')
            out += "\n";
        else
            out.push_back(c);
        // A request starts with '.' or '\'' at the beginning of a line.
        if ((c == '.' || c == '\'') && (out.size() == 1 || out[out.size() - 2] == '\n'))
            out.insert(out.size() - 1, "\\&");
    }
    return out;
}

std::string command_man_page() {
    std::string out = header("WILDCERT", "1", "User Commands");
    out += ".SH NAME\nwildcert \\- obtain and renew TLS certificates through ACME DNS\\-01 "
           "challenges\n.SH SYNOPSIS\n.nf\n";
    for (const auto& command : all_commands()) {
        if (command.hidden)
            continue;
        for (const auto line : command.synopsis)
            out += synopsis_line(line);
    }
    out += "\\fBwildcert\\fR \\fICOMMAND\\fR \\fB\\-\\-help\\fR\n"
           "\\fBwildcert\\fR \\fB\\-\\-version\\fR\n.fi\n";
    out += ".SH DESCRIPTION\n"
           ".PP\nwildcert obtains TLS certificates, wildcards included, from an ACME CA (RFC "
           "8555) by answering DNS\\-01 challenges through a DNS provider, installs them under "
           "the state directory, writes extra outputs and runs deploy hooks. What it does is "
           "described by a profile, see \\fBwildcert.toml\\fR(5).\n"
           ".PP\nOptions may come before or after the command. A value is given as "
           "\\fB\\-\\-opt value\\fR, \\fB\\-\\-opt=value\\fR, \\fB\\-c value\\fR or "
           "\\fB\\-cvalue\\fR; an optional value only as \\fB\\-\\-opt=value\\fR.\n";
    out += ".SH COMMANDS\n";
    for (const auto& command : all_commands()) {
        if (!command.hidden)
            out += command_section(command);
    }
    out += ".SH GLOBAL OPTIONS\nEvery command takes these.\n";
    for (const auto name : global_option_names())
        out += option_item(*find_long_option(name));
    out += ".SH EXIT STATUS\n";
    for (const auto& [code, meaning] : k_exit_codes)
        out += ".TP\n\\fB" + std::to_string(code) + "\\fR\n" + roff_escape(meaning) + '\n';
    out += ".PP\n" + roff_escape(k_exit_precedence) + "\n";
    out += ".SH ENVIRONMENT\n"
           ".TP\n\\fBWILDCERT_STATE_DIR\\fR\nThe state directory when \\fB\\-\\-state\\-dir\\fR "
           "is not given.\n"
           ".TP\n\\fBXDG_STATE_HOME\\fR\nWithout either, and not as root: the state directory "
           "is $XDG_STATE_HOME/wildcert (~/.local/state/wildcert).\n"
           ".TP\n\\fBWILDCERT_PUBLIC_SUFFIX_LIST\\fR\nThe Public Suffix List file to use "
           "instead of /usr/share/publicsuffix/public_suffix_list.dat.\n"
           ".TP\n\\fBWILDCERT_*\\fR\nProfile values, see \\fBwildcert.toml\\fR(5).\n";
    out +=
        ".SH FILES\n"
        ".TP\n\\fI<state>/live/<name>/\\fR\nprivkey.pem, cert.pem, chain.pem and "
        "fullchain.pem of the current version of each certificate.\n"
        ".TP\n\\fI/var/lib/wildcert\\fR\nThe state directory of root.\n"
        ".TP\n\\fI/usr/share/publicsuffix/public_suffix_list.dat\\fR\nThe Public Suffix "
        "List (Debian package publicsuffix): the zones of its ICANN section, like TLDs, are never "
        "updated.\n";
    out += ".SH SEE ALSO\n\\fBwildcert.toml\\fR(5), \\fBsystemd.timer\\fR(5), "
           "\\fBcrontab\\fR(5)\n";
    return out;
}

std::string profile_man_page() {
    std::string out = header("WILDCERT.TOML", "5", "File Formats");
    out += ".SH NAME\nwildcert.toml \\- the profile of \\fBwildcert\\fR(1)\n"
           ".SH DESCRIPTION\n"
           ".PP\nA profile is a TOML file that names one ACME account, one DNS setup and one "
           "or more certificates. Unknown keys are errors, and every error names the file, "
           "the line and the key. In a string, ${VAR} is replaced by the environment "
           "variable VAR. Secrets can be given as <key>_file, a file that holds the value.\n"
           ".PP\nA key of [acme], [acme.eab], [dns] or a [[certificate]] can also be set by "
           "an environment variable: WILDCERT_ and the key path in upper case with '.' and "
           "'\\-' as '_' (WILDCERT_DNS_TTL, WILDCERT_ACME_EAB_KEY_ID); a certificate's key as "
           "WILDCERT_CERTIFICATE_<NAME>_<KEY>.\n"
           ".PP\nDurations are strings such as \"500ms\", \"90s\", \"5m\", \"1h\", \"1d\" or "
           "\"1m30s\", or an integer number of seconds.\n";
    std::string section = "\x01"; // none yet
    for (const auto& key : config::profile_keys()) {
        if (key.section != section) {
            section = std::string(key.section);
            out += section.empty() ? ".SH TABLES\n.PP\nThe top level of the file.\n"
                                   : ".SH \"" + roff_escape(section_heading(section)) + "\"\n";
        }
        out += key_item(key);
    }
    out += ".SH PROVIDERS\n.PP\nThe settings of the provider that dns.provider names go into "
           "its table; each key not in the table is read from its environment variable, "
           "else it takes its default. \\fBwildcert providers\\fR NAME prints the same.\n";
    for (const auto* provider : providers::all_providers())
        out += provider_section(*provider);
    out += ".SH EXAMPLE\n.nf\n"
           "[acme]\n"
           "directory = \"letsencrypt\"\n"
           "contact = [\"mailto:ops@example.com\"]\n"
           "accept_terms = true\n"
           "\n"
           "[dns]\n"
           "provider = \"rfc2136\"\n"
           "\n"
           "[dns.rfc2136]\n"
           "server = \"192.0.2.1:53\"\n"
           "tsig_key = \"acme\\-key\"\n"
           "tsig_secret_file = \"/etc/wildcert/tsig.secret\"\n"
           "\n"
           "[[certificate]]\n"
           "name = \"example\"\n"
           "domains = [\"*.example.com\", \"example.com\"]\n"
           ".fi\n";
    out += ".SH SEE ALSO\n\\fBwildcert\\fR(1)\n";
    return out;
}

} // namespace wildcert::cli
