#include "deployers/ssh/ssh_deployer.hpp"

#include "common/secure_wipe.hpp"
#include "deployers/ssh/remote_script.hpp"
#include "deployers/ssh/ssh_command.hpp"

#include <array>
#include <cctype>
#include <random>

namespace wildcert::deployers::ssh {
namespace {

constexpr std::array<SettingDescriptor, 19> k_settings{{
    {"host", "", SettingType::string, "", true, false,
     "the host to deploy to (a name ssh resolves, ~/.ssh/config aliases included)"},
    {"port", "", SettingType::integer, "22", false, false, "its SSH port"},
    {"user", "", SettingType::string, "", false, false,
     "the remote user (default: ssh's, from ~/.ssh/config or the local user)"},
    {"identity_file", "", SettingType::string, "", false, false,
     "the private key to log in with (ssh -i; only that key is offered); default: ssh's"},
    {"known_hosts", "", SettingType::string, "", false, false,
     "the known_hosts file that must hold the host's key (default: the user's)"},
    {"key_path", "", SettingType::string, "", false, false,
     "remote path for the private key (key_mode)"},
    {"cert_path", "", SettingType::string, "", false, false,
     "remote path for the leaf certificate (mode)"},
    {"chain_path", "", SettingType::string, "", false, false,
     "remote path for the intermediates (mode)"},
    {"fullchain_path", "", SettingType::string, "", false, false,
     "remote path for leaf + intermediates (mode)"},
    {"combined_path", "", SettingType::string, "", false, false,
     "remote path for key + leaf + intermediates in one file (key_mode)"},
    {"owner", "", SettingType::string, "", false, false, "owner of the remote files (chown)"},
    {"group", "", SettingType::string, "", false, false, "group of the remote files"},
    {"mode", "", SettingType::string, "0644", false, false,
     "mode of the certificate files (octal)"},
    {"key_mode", "", SettingType::string, "0600", false, false,
     "mode of the key and combined files (octal)"},
    {"reload", "", SettingType::string, "", false, false,
     "a command the remote shell runs once the files are in place (e.g. systemctl reload "
     "nginx); its failure fails the target"},
    {"connect_timeout", "", SettingType::duration, "10s", false, false,
     "how long connecting and logging in may take (ssh ConnectTimeout)"},
    {"timeout", "", SettingType::duration, "60s", false, false,
     "how long the whole push and reload may take"},
    {"ssh", "", SettingType::string, "ssh", false, false,
     "the OpenSSH client to run (found through PATH)"},
    {"ssh_options", "", SettingType::string, "", false, false,
     "more ssh -o options, space-separated (e.g. \"KexAlgorithms=curve25519-sha256\"); host "
     "key checking and BatchMode cannot be changed"},
}};

// Options that would undo what the deployer promises: no prompt, strict host keys, only the
// known_hosts it was given.
constexpr std::array<std::string_view, 5> k_fixed_options{"batchmode", "stricthostkeychecking",
                                                          "userknownhostsfile",
                                                          "globalknownhostsfile", "updatehostkeys"};

Result<std::vector<std::string>> ssh_options(const Settings& settings) {
    std::vector<std::string> options;
    const auto text = settings.string("ssh_options").value_or("");
    std::size_t start = 0;
    while (start < text.size()) {
        const auto begin = text.find_first_not_of(" \t", start);
        if (begin == std::string::npos)
            break;
        auto end = text.find_first_of(" \t", begin);
        if (end == std::string::npos)
            end = text.size();
        const auto option = text.substr(begin, end - begin);
        const auto equals = option.find('=');
        if (equals == std::string::npos || equals == 0 || option.front() == '-' ||
            option.find_first_of("\n\r") != std::string::npos)
            return settings.error("ssh_options", "\"" + option + "\" is not Name=value");
        std::string name = option.substr(0, equals);
        for (auto& c : name)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        for (const auto fixed : k_fixed_options) {
            if (name == fixed)
                return settings.error("ssh_options", option.substr(0, equals) +
                                                         " is fixed by wildcert (strict host "
                                                         "keys, no prompt)");
        }
        options.push_back(option);
        start = end;
    }
    return options;
}

bool valid_mode(const std::string& mode) {
    return mode.size() >= 3 && mode.size() <= 4 &&
           mode.find_first_not_of("01234567") == std::string::npos;
}

bool safe_name(const std::string& text) {
    // Owner and group names go to chown; keep them to what account names use.
    return text.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                  "0123456789._-") == std::string::npos;
}

std::string random_delimiter() {
    std::random_device device;
    std::string out = "WILDCERT_EOF_";
    static constexpr char k_hex[] = "0123456789abcdef";
    for (int i = 0; i < 24; ++i)
        out += k_hex[device() % 16];
    return out;
}

struct Paths {
    std::string key, cert, chain, fullchain, combined;
};

class SshDeployer final : public Deployer {
public:
    SshDeployer(std::vector<SshTarget> targets, std::vector<Paths> paths,
                std::vector<std::string> modes, std::vector<std::string> key_modes,
                std::vector<std::string> owners, std::vector<std::string> reloads,
                DeployerContext context)
        : m_targets(std::move(targets)), m_paths(std::move(paths)), m_modes(std::move(modes)),
          m_key_modes(std::move(key_modes)), m_owners(std::move(owners)),
          m_reloads(std::move(reloads)), m_context(std::move(context)) {}

    std::vector<std::string> targets() const override {
        std::vector<std::string> names;
        for (const auto& target : m_targets)
            names.push_back(target.name());
        return names;
    }

    Result<void> deploy(const DeployInput& input, std::size_t index) override {
        const auto& paths = m_paths.at(index);
        RemoteJob job;
        job.owner = m_owners.at(index);
        job.reload = m_reloads.at(index);
        job.delimiter = random_delimiter();
        const auto& mode = m_modes.at(index);
        const auto& key_mode = m_key_modes.at(index);
        if (!paths.key.empty())
            job.files.push_back({paths.key, key_mode, input.privkey_pem});
        if (!paths.cert.empty())
            job.files.push_back({paths.cert, mode, input.cert_pem});
        if (!paths.chain.empty())
            job.files.push_back({paths.chain, mode, input.chain_pem});
        if (!paths.fullchain.empty())
            job.files.push_back({paths.fullchain, mode, input.fullchain_pem});
        if (!paths.combined.empty())
            job.files.push_back(
                {paths.combined, key_mode, input.privkey_pem + input.fullchain_pem});
        std::string script = remote_script(job);
        for (auto& file : job.files)
            secure_wipe(file.content);
        auto ran = run_remote(m_targets.at(index), script, m_context.cancelled);
        secure_wipe(script);
        return ran;
    }

    Result<void> check_access(std::size_t index) override {
        const auto& paths = m_paths.at(index);
        std::string script = "set -eu\n";
        for (const auto* path :
             {&paths.key, &paths.cert, &paths.chain, &paths.fullchain, &paths.combined}) {
            if (path->empty())
                continue;
            script += "d=$(dirname " + shell_quote(*path) + "); [ -d \"$d\" ] && [ -w \"$d\" ] " +
                      "|| { echo \"cannot write in $d\" >&2; exit 1; }\n";
        }
        return run_remote(m_targets.at(index), script, m_context.cancelled);
    }

private:
    std::vector<SshTarget> m_targets;
    std::vector<Paths> m_paths;
    std::vector<std::string> m_modes, m_key_modes, m_owners, m_reloads;
    DeployerContext m_context;
};

Result<std::string> remote_path(const Settings& settings, std::string_view key) {
    auto path = settings.string(key).value_or("");
    if (path.empty())
        return path;
    if (path.front() != '/')
        return settings.error(key, "must be an absolute path on the remote host");
    if (path.find_first_of("\n\r") != std::string::npos || path.back() == '/')
        return settings.error(key, "must be a file path on one line");
    return path;
}

Result<std::unique_ptr<Deployer>> create(const DeployerDescriptor&, const DeploySettings&,
                                         std::vector<Settings> resolved,
                                         const DeployerContext& context) {
    std::vector<SshTarget> targets;
    std::vector<Paths> paths;
    std::vector<std::string> modes, key_modes, owners, reloads;
    for (const auto& settings : resolved) {
        SshTarget target;
        target.host = settings.string("host").value_or("");
        if (target.host.empty() || target.host.front() == '-' ||
            target.host.find_first_of(" \t\n\r'\"") != std::string::npos)
            return settings.error("host", "must be a host name or address");
        const auto port = settings.integer("port").value_or(22);
        if (port < 1 || port > 65535)
            return settings.error("port", "must be from 1 to 65535");
        target.port = static_cast<int>(port);
        target.user = settings.string("user").value_or("");
        if (!target.user.empty() && !safe_name(target.user))
            return settings.error("user", "must be a user name");
        target.identity_file = settings.string("identity_file").value_or("");
        target.known_hosts = settings.string("known_hosts").value_or("");
        // Passed to ssh, which takes a relative path from wherever wildcert was started.
        for (const auto* key : {"identity_file", "known_hosts"}) {
            const auto path = settings.string(key).value_or("");
            if (!path.empty() && path.front() != '/' && path.rfind("~/", 0) != 0)
                return settings.error(key, "must be an absolute path (or start with ~/)");
            if (path.find_first_of(" \t\n\r") != std::string::npos)
                return settings.error(key, "must not contain spaces (ssh -o would split it)");
        }
        target.connect_timeout =
            settings.duration("connect_timeout").value_or(target.connect_timeout);
        target.timeout = settings.duration("timeout").value_or(target.timeout);
        if (target.connect_timeout.count() < 1000)
            return settings.error("connect_timeout", "must be at least 1s");
        if (target.timeout.count() <= 0)
            return settings.error("timeout", "must be more than 0");
        target.program = settings.string("ssh").value_or("ssh");
        WILDCERT_TRY(target.options, ssh_options(settings));
        Paths target_paths;
        WILDCERT_TRY(target_paths.key, remote_path(settings, "key_path"));
        WILDCERT_TRY(target_paths.cert, remote_path(settings, "cert_path"));
        WILDCERT_TRY(target_paths.chain, remote_path(settings, "chain_path"));
        WILDCERT_TRY(target_paths.fullchain, remote_path(settings, "fullchain_path"));
        WILDCERT_TRY(target_paths.combined, remote_path(settings, "combined_path"));
        if (target_paths.key.empty() && target_paths.cert.empty() && target_paths.chain.empty() &&
            target_paths.fullchain.empty() && target_paths.combined.empty())
            return settings.error("host", "no remote file to write: set key_path, cert_path, "
                                          "chain_path, fullchain_path or combined_path");
        const auto mode = settings.string("mode").value_or("0644");
        const auto key_mode = settings.string("key_mode").value_or("0600");
        if (!valid_mode(mode))
            return settings.error("mode", "must be an octal mode such as \"0644\"");
        if (!valid_mode(key_mode))
            return settings.error("key_mode", "must be an octal mode such as \"0600\"");
        const auto owner = settings.string("owner").value_or("");
        const auto group = settings.string("group").value_or("");
        if (!safe_name(owner))
            return settings.error("owner", "must be a user name");
        if (!safe_name(group))
            return settings.error("group", "must be a group name");
        owners.push_back(group.empty() ? owner : owner + ":" + group);
        reloads.push_back(settings.string("reload").value_or(""));
        modes.push_back(mode);
        key_modes.push_back(key_mode);
        paths.push_back(std::move(target_paths));
        targets.push_back(std::move(target));
    }
    return std::unique_ptr<Deployer>(std::make_unique<SshDeployer>(
        std::move(targets), std::move(paths), std::move(modes), std::move(key_modes),
        std::move(owners), std::move(reloads), context));
}

} // namespace

const DeployerDescriptor k_descriptor{
    "ssh",
    "pushes key and certificates to hosts with the system's OpenSSH client (strict host keys), "
    "written atomically, then runs a remote reload",
    k_settings,
    &create,
};

} // namespace wildcert::deployers::ssh
