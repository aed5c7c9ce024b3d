// A program with a DNS API of its own issues through the library: it implements
// wildcert::DnsProvider and passes it in ClientOptions::provider. Here the "own API" is the
// nsupdate tool (RFC 2136 dynamic update, TSIG-signed), one update per zone, with the secret
// sent on nsupdate's standard input, never on a command line. Its settings come from the
// profile's [dns.nsupdate] table, which the library reads but does not interpret:
//
//   [dns]
//   provider = "nsupdate"            # a name of the program's own: it keys the cleanup journal
//   [dns.nsupdate]
//   server = "127.0.0.1"
//   port = 53
//   tsig_key = "acme-key"
//   tsig_algorithm = "hmac-sha256"
//   tsig_secret_file = "/etc/wildcert/acme-key.secret"   # or tsig_secret = "${SECRET}"
//
//   issue_with_own_provider PROFILE STATE_DIR

#include <wildcert/client.hpp>
#include <wildcert/dns_provider.hpp>
#include <wildcert/profile.hpp>

#include <csignal>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace {

using wildcert::ErrorKind;
using wildcert::Result;
using wildcert::TxtRecord;

struct NsupdateSettings {
    std::string server;
    std::string port = "53";
    std::string key_name;
    std::string algorithm = "hmac-sha256";
    std::string secret;
};

// Reads [dns.nsupdate]; names the profile line of a setting it cannot use.
Result<NsupdateSettings> read_settings(const wildcert::ProviderConfig& config) {
    NsupdateSettings settings;
    const std::map<std::string, std::string*> strings{{"server", &settings.server},
                                                      {"tsig_key", &settings.key_name},
                                                      {"tsig_algorithm", &settings.algorithm},
                                                      {"tsig_secret", &settings.secret}};
    for (const auto& [key, setting] : config.settings) {
        if (key == "port") {
            const auto* number = std::get_if<std::int64_t>(&setting.value);
            if (number == nullptr || *number < 1 || *number > 65535)
                return wildcert::make_error(ErrorKind::profile,
                                            setting.origin + ": port: a number from 1 to 65535");
            settings.port = std::to_string(*number);
            continue;
        }
        const auto found = strings.find(key);
        const auto* text = std::get_if<std::string>(&setting.value);
        if (found == strings.end() || text == nullptr)
            return wildcert::make_error(ErrorKind::profile,
                                        setting.origin + ": dns.nsupdate." + key +
                                            ": not a setting of this provider (server, port, "
                                            "tsig_key, tsig_algorithm, tsig_secret)");
        *found->second = *text;
    }
    if (settings.server.empty() || settings.key_name.empty() || settings.secret.empty())
        return wildcert::make_error(ErrorKind::profile,
                                    config.origin + ": [dns.nsupdate] needs server, tsig_key "
                                                    "and tsig_secret (or tsig_secret_file)");
    return settings;
}

class NsupdateProvider final : public wildcert::DnsProvider {
public:
    explicit NsupdateProvider(NsupdateSettings settings) : m_settings(std::move(settings)) {}

    Result<void> add(std::span<const TxtRecord> records) override { return update(records, "add"); }
    // Deleting a value that is not there is a no-op in RFC 2136 (§3.4.2.4): idempotent.
    Result<void> remove(std::span<const TxtRecord> records) override {
        return update(records, "delete");
    }

private:
    // One update message per zone, so a zone's records appear together.
    Result<void> update(std::span<const TxtRecord> records, const std::string& verb) {
        std::map<std::string, std::string> scripts; // zone -> the update lines
        for (const auto& record : records) {
            scripts[record.zone] += "update " + verb + " " + record.fqdn + " " +
                                    std::to_string(record.ttl.count()) + " TXT \"" + record.value +
                                    "\"\n";
        }
        for (const auto& [zone, lines] : scripts) {
            const std::string script = "server " + m_settings.server + " " + m_settings.port +
                                       "\nkey " + m_settings.algorithm + ":" + m_settings.key_name +
                                       " " + m_settings.secret + "\nzone " + zone + "\n" + lines +
                                       "send\n";
            if (const auto sent = run_nsupdate(script); !sent.ok())
                return wildcert::make_error(ErrorKind::provider, "nsupdate " + verb + " in " +
                                                                     zone + ": " +
                                                                     sent.error().message);
        }
        return {};
    }

    // nsupdate reads the script (secret included) from a pipe; its exit status decides.
    static Result<void> run_nsupdate(const std::string& script) {
        int pipe_fds[2];
        if (::pipe(pipe_fds) != 0)
            return wildcert::make_error(ErrorKind::io, "pipe failed");
        const pid_t child = ::fork();
        if (child < 0)
            return wildcert::make_error(ErrorKind::io, "fork failed");
        if (child == 0) {
            ::dup2(pipe_fds[0], STDIN_FILENO);
            ::close(pipe_fds[0]);
            ::close(pipe_fds[1]);
            ::execlp("nsupdate", "nsupdate", "-t", "10", static_cast<char*>(nullptr));
            ::_exit(127);
        }
        ::close(pipe_fds[0]);
        // A child that exits early must not kill us with SIGPIPE.
        std::signal(SIGPIPE, SIG_IGN);
        std::size_t written = 0;
        while (written < script.size()) {
            const auto n = ::write(pipe_fds[1], script.data() + written, script.size() - written);
            if (n <= 0)
                break;
            written += static_cast<std::size_t>(n);
        }
        ::close(pipe_fds[1]);
        int status = 0;
        while (::waitpid(child, &status, 0) < 0) {
        }
        if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
            return {};
        return wildcert::make_error(ErrorKind::provider,
                                    WIFEXITED(status) && WEXITSTATUS(status) == 127
                                        ? "nsupdate not found"
                                        : "nsupdate failed (status " +
                                              std::to_string(WEXITSTATUS(status)) + ")");
    }

    NsupdateSettings m_settings;
};

} // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: " << argv[0] << " PROFILE STATE_DIR\n";
        return 2;
    }
    auto profile = wildcert::load_profile(argv[1]);
    if (!profile.ok()) {
        std::cerr << profile.error().message << '\n';
        return 2;
    }
    auto settings = read_settings(profile->dns.provider);
    if (!settings.ok()) {
        std::cerr << settings.error().message << '\n';
        return 2;
    }
    wildcert::ClientOptions options;
    options.state_dir = argv[2];
    options.log = [](wildcert::LogLevel level, std::string_view line) {
        if (level != wildcert::LogLevel::status)
            std::cerr << line << '\n';
    };
    options.provider = std::make_shared<NsupdateProvider>(std::move(settings).value());
    const auto certificates = profile->certificates;
    auto client = wildcert::Client::create(std::move(profile).value(), std::move(options));
    if (!client.ok()) {
        std::cerr << client.error().message << '\n';
        return 2;
    }
    // issue_all: one order per certificate, every record published and checked together.
    int status = 0;
    const auto results = client->issue_all(certificates);
    for (const auto& issued : results) {
        if (!issued.ok()) {
            const auto& error = issued.error();
            std::cerr << error.message << '\n';
            // Typed errors: a rate limit says when to come back.
            if (error.problem_type == "rateLimited" && error.retry_after)
                std::cerr << "retry in " << error.retry_after->count() << " s\n";
            status = error.kind == ErrorKind::locked && status == 0 ? 3 : 1;
            continue;
        }
        std::cout << issued->name << " -> " << issued->live_dir.string() << " serial "
                  << issued->serial_hex << '\n';
    }
    return status;
}
