#include "deployers/haproxy/haproxy_deployer.hpp"

#include "common/secure_wipe.hpp"
#include "deployers/haproxy/haproxy_runtime.hpp"
#include "store/atomic_file.hpp"

#include <array>
#include <filesystem>

namespace wildcert::deployers::haproxy {
namespace {

constexpr std::array<SettingDescriptor, 4> k_settings{{
    {"socket", "", SettingType::string, "", true, false,
     "the admin socket: a unix socket path, or host:port (stats socket ... level admin)"},
    {"crt", "", SettingType::string, "", true, false,
     "the certificate file HAProxy loaded (the path of `bind ... crt`), as HAProxy names it"},
    {"write_crt", "", SettingType::boolean, "", false, false,
     "also write the PEM to crt, atomically (default: true for a unix socket, false for "
     "host:port, whose files are on another machine)"},
    {"timeout", "", SettingType::duration, "10s", false, false,
     "how long the exchange with one HAProxy may take"},
}};

struct Target {
    std::string socket;
    std::string crt;
    bool write_crt = true;
    std::chrono::milliseconds timeout{10'000};
    std::string name;
};

class HaproxyDeployer final : public Deployer {
public:
    explicit HaproxyDeployer(std::vector<Target> targets) : m_targets(std::move(targets)) {}

    std::vector<std::string> targets() const override {
        std::vector<std::string> names;
        for (const auto& target : m_targets)
            names.push_back(target.name);
        return names;
    }

    Result<void> deploy(const DeployInput& input, std::size_t index) override {
        const Target& target = m_targets.at(index);
        std::string pem = haproxy_pem(input);
        const auto result = deploy_pem(target, pem);
        secure_wipe(pem);
        return result;
    }

    Result<void> check_access(std::size_t index) override {
        const Target& target = m_targets.at(index);
        Runtime runtime(target.socket, Runtime::Clock::now() + target.timeout);
        WILDCERT_TRY(const auto loaded, runtime.loaded_certificates());
        // `show ssl cert` lists one path per line, after a comment line.
        std::size_t start = 0;
        while (start < loaded.size()) {
            auto end = loaded.find('\n', start);
            if (end == std::string::npos)
                end = loaded.size();
            if (std::string_view(loaded).substr(start, end - start) == target.crt)
                return {};
            start = end + 1;
        }
        return make_error(ErrorKind::network, "HAProxy at " + target.socket +
                                                  " has no certificate loaded from " + target.crt +
                                                  " (`show ssl cert` lists them)");
    }

private:
    static Result<void> deploy_pem(const Target& target, std::string_view pem) {
        if (target.write_crt) {
            // 0600: the file holds the private key. HAProxy reads it as the user it starts
            // as (root, before it drops privileges).
            auto written = store::write_file_atomically(target.crt, pem,
                                                        std::filesystem::perms::owner_read |
                                                            std::filesystem::perms::owner_write);
            if (!written.ok())
                return make_error(ErrorKind::io, "writing " + target.crt + " for HAProxy at " +
                                                     target.socket + ": " +
                                                     written.error().message);
        }
        Runtime runtime(target.socket, Runtime::Clock::now() + target.timeout);
        if (auto set = runtime.set_certificate(target.crt, pem); !set.ok()) {
            runtime.abort(target.crt);
            return set;
        }
        if (auto committed = runtime.commit(target.crt); !committed.ok()) {
            runtime.abort(target.crt);
            return committed;
        }
        return {};
    }

    std::vector<Target> m_targets;
};

Result<std::unique_ptr<Deployer>> create(const DeployerDescriptor&, const DeploySettings& entry,
                                         std::vector<Settings> resolved, const DeployerContext&) {
    std::vector<Target> targets;
    for (const auto& settings : resolved) {
        Target target;
        target.socket = settings.string("socket").value_or("");
        target.crt = settings.string("crt").value_or("");
        if (target.socket.empty())
            return settings.error("socket", "must not be empty");
        if (target.crt.empty() || target.crt.front() != '/')
            return settings.error("crt", "must be the absolute path HAProxy loaded");
        if (target.crt.find_first_of("\n\r ") != std::string::npos)
            return settings.error("crt", "must not contain spaces or line breaks");
        target.write_crt = settings.boolean("write_crt").value_or(target.socket.front() == '/');
        target.timeout = settings.duration("timeout").value_or(target.timeout);
        if (target.timeout.count() <= 0)
            return settings.error("timeout", "must be more than 0");
        target.name = target.socket;
        targets.push_back(std::move(target));
    }
    // Two targets on one socket (several crt of one HAProxy) are told apart by their crt.
    for (auto& target : targets) {
        int same = 0;
        for (const auto& other : targets)
            same += other.socket == target.socket ? 1 : 0;
        if (same > 1)
            target.name = target.socket + " " + target.crt;
    }
    (void)entry;
    return std::unique_ptr<Deployer>(std::make_unique<HaproxyDeployer>(std::move(targets)));
}

// PEM blocks without the blank lines between them (HAProxy ends the payload at one).
void append_without_blank_lines(std::string& out, std::string_view pem) {
    std::size_t start = 0;
    while (start < pem.size()) {
        auto end = pem.find('\n', start);
        if (end == std::string_view::npos)
            end = pem.size();
        auto line = pem.substr(start, end - start);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        if (!line.empty()) {
            out += line;
            out += '\n';
        }
        start = end + 1;
    }
}

} // namespace

std::string haproxy_pem(const DeployInput& input) {
    std::string pem;
    pem.reserve(input.fullchain_pem.size() + input.privkey_pem.size() + 2);
    append_without_blank_lines(pem, input.fullchain_pem);
    append_without_blank_lines(pem, input.privkey_pem);
    return pem;
}

const DeployerDescriptor k_descriptor{
    "haproxy",
    "HAProxy's runtime API: set ssl cert + commit ssl cert (no reload), and the crt file "
    "written atomically",
    k_settings,
    &create,
};

} // namespace wildcert::deployers::haproxy
