// Unit tests for the deployer contract: [[certificate.deploy]] entries with a type, targets and
// verify endpoints as the profile loader reads them; create_deployer's checks against the
// descriptor; the PEM HAProxy is sent; the per-target state line; endpoint verification
// giving up in time. The real HAProxy runs in tests/e2e/haproxy_test.sh.
#include "common/stream_socket.hpp"
#include "config/load.hpp"
#include "deployers/descriptor.hpp"
#include "deployers/endpoint_verification.hpp"
#include "deployers/haproxy/haproxy_deployer.hpp"
#include "store/certificate_record.hpp"

#include <doctest/doctest.h>

#include "error_text.hpp"
#include "temp_dir.hpp"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <vector>

using namespace wildcert;
namespace fs = std::filesystem;
using namespace std::chrono_literals;
using wildcert::test::TempDir;
using wildcert::test::without_column;

namespace {

// [[certificate]] on line 5, [[certificate.deploy]] on line 8.
const std::string k_head = "[acme]\n"
                           "directory = \"https://ca.test/dir\"\n"
                           "[dns]\n"
                           "provider = \"rfc2136\"\n"
                           "[[certificate]]\n"
                           "name = \"example\"\n"
                           "domains = [\"*.example.com\", \"example.com\"]\n";

Result<Profile> load(const TempDir& dir, const std::string& deploy) {
    const auto path = dir.path() / "profile.toml";
    std::ofstream(path) << k_head << deploy;
    return config::load_profile_with_env(
        path, [](const std::string&) -> std::optional<std::string> { return std::nullopt; });
}

std::string load_error(const std::string& deploy) {
    const TempDir dir;
    const auto profile = load(dir, deploy);
    REQUIRE_FALSE(profile.ok());
    CHECK(profile.error().kind == ErrorKind::profile);
    return without_column(profile.error().message);
}

DeploySettings entry_of(const std::string& deploy) {
    const TempDir dir;
    auto profile = load(dir, deploy);
    REQUIRE_MESSAGE(profile.ok(), (profile.ok() ? "" : profile.error().message));
    REQUIRE(profile->certificates.at(0).deploy.size() == 1);
    return profile->certificates[0].deploy[0];
}

std::string create_error(const std::string& deploy) {
    const auto entry = entry_of(deploy);
    auto created = deployers::create_deployer(entry, {});
    REQUIRE_FALSE(created.ok());
    CHECK(created.error().kind == ErrorKind::profile);
    return without_column(created.error().message);
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

} // namespace

TEST_SUITE("deployers") {
    TEST_CASE("an entry with a type keeps its keys, targets and verify endpoints") {
        const auto entry = entry_of("[[certificate.deploy]]\n"
                                    "type = \"haproxy\"\n"
                                    "crt = \"/etc/haproxy/site.pem\"\n"
                                    "verify = [\"lb.example.com:443\", { address = "
                                    "\"10.0.0.5:8443\", sni = \"www.example.com\" }]\n"
                                    "verify_timeout = \"5s\"\n"
                                    "dry_run = true\n"
                                    "targets = [{ socket = \"/run/a.sock\" }, { socket = "
                                    "\"10.0.0.6:9999\", verify = [\"10.0.0.6:443\"] }]\n");
        CHECK(entry.type == "haproxy");
        CHECK(entry.key_path == "certificate[1].deploy[1]");
        REQUIRE(entry.settings.count("crt") == 1);
        CHECK(std::get<std::string>(entry.settings.at("crt").value) == "/etc/haproxy/site.pem");
        CHECK(entry.settings.count("verify") == 0);
        CHECK(entry.settings.count("targets") == 0);
        REQUIRE(entry.verify.size() == 2);
        CHECK(entry.verify[0].address == "lb.example.com:443");
        CHECK(entry.verify[0].sni.empty());
        CHECK(entry.verify[1].address == "10.0.0.5:8443");
        CHECK(entry.verify[1].sni == "www.example.com");
        CHECK(entry.verify_timeout == 5s);
        CHECK(entry.dry_run);
        REQUIRE(entry.targets.size() == 2);
        CHECK(entry.targets[1].key_path == "certificate[1].deploy[1].targets[2]");
        REQUIRE(entry.targets[1].verify.size() == 1);
        CHECK(entry.targets[1].verify[0].address == "10.0.0.6:443");
        CHECK(entry.targets[1].settings.count("verify") == 0);

        auto created = deployers::create_deployer(entry, {});
        REQUIRE_MESSAGE(created.ok(), (created.ok() ? "" : created.error().message));
        const auto names = (*created)->targets();
        REQUIRE(names.size() == 2);
        CHECK(names[0] == "/run/a.sock");
        CHECK(names[1] == "10.0.0.6:9999");
    }

    TEST_CASE("a command entry is type command, and verify works on it too") {
        const auto entry = entry_of("[[certificate.deploy]]\n"
                                    "command = [\"/bin/true\"]\n"
                                    "verify = [\"127.0.0.1:443\"]\n");
        CHECK(entry.type == "command");
        CHECK(entry.verify.size() == 1);
    }

    TEST_CASE("profile errors name file, line and key") {
        CHECK(contains(load_error("[[certificate.deploy]]\ntimeout = \"5s\"\n"),
                       "profile.toml:8: certificate[1].deploy[1].type: missing: set type"));
        CHECK(contains(load_error("[[certificate.deploy]]\ntype = \"haproxy\"\n"
                                  "verify = [\"no-port\"]\n"),
                       "profile.toml:10: certificate[1].deploy[1].verify[1]: no-port is not "
                       "host:port"));
        CHECK(contains(load_error("[[certificate.deploy]]\ntype = \"haproxy\"\n"
                                  "verify = [{ address = \"a.test:443\", nsi = \"x\" }]\n"),
                       "certificate[1].deploy[1].verify[1].nsi"));
        CHECK(contains(load_error("[[certificate.deploy]]\ntype = \"haproxy\"\n"
                                  "verify = \"a.test:443\"\n"),
                       "certificate[1].deploy[1].verify"));
        CHECK(contains(load_error("[[certificate.deploy]]\ntype = \"haproxy\"\ntargets = []\n"),
                       "certificate[1].deploy[1].targets"));
        CHECK(contains(load_error("[[certificate.deploy]]\ntype = \"haproxy\"\n"
                                  "verify_timeout = \"2h\"\n"),
                       "certificate[1].deploy[1].verify_timeout: is out of range"));
        CHECK(contains(load_error("[[certificate.deploy]]\ncommand = [\"/bin/true\"]\n"
                                  "socket = \"/run/a.sock\"\n"),
                       "certificate[1].deploy[1].socket"));
    }

    TEST_CASE("create_deployer checks the type and every key against the descriptor") {
        CHECK(contains(create_error("[[certificate.deploy]]\ntype = \"haproxi\"\n"),
                       "certificate[1].deploy[1].type: unknown deployer \"haproxi\"; did you "
                       "mean \"haproxy\"?"));
        CHECK(contains(create_error("[[certificate.deploy]]\ntype = \"haproxy\"\n"
                                    "sockett = \"/run/a.sock\"\ncrt = \"/x.pem\"\n"),
                       "profile.toml:10: certificate[1].deploy[1].sockett: unknown key for "
                       "type \"haproxy\"; did you mean 'socket'?"));
        CHECK(contains(create_error("[[certificate.deploy]]\ntype = \"haproxy\"\n"
                                    "crt = \"/x.pem\"\n"),
                       "certificate[1].deploy[1].socket is required"));
        CHECK(contains(create_error("[[certificate.deploy]]\ntype = \"haproxy\"\n"
                                    "socket = \"/run/a.sock\"\ncrt = \"site.pem\"\n"),
                       "certificate[1].deploy[1].crt: must be the absolute path"));
        CHECK(contains(create_error("[[certificate.deploy]]\ntype = \"haproxy\"\n"
                                    "crt = \"/x.pem\"\n"
                                    "targets = [{ socket = \"/a.sock\" }, { sock = \"/b\" }]\n"),
                       "certificate[1].deploy[1].targets[2].sock: unknown key"));
        CHECK(contains(create_error("[[certificate.deploy]]\ntype = \"haproxy\"\n"
                                    "socket = \"/a.sock\"\ncrt = \"/x.pem\"\n"
                                    "write_crt = \"yes\"\n"),
                       "certificate[1].deploy[1].write_crt: expected a boolean"));
    }

    TEST_CASE("a deployer's *_file key is a path passed on, never a file read") {
        const auto entry = entry_of("[[certificate.deploy]]\ntype = \"ssh\"\n"
                                    "host = \"web1.example.com\"\n"
                                    "identity_file = \"/nonexistent/deploy_ed25519\"\n"
                                    "fullchain_path = \"/etc/ssl/web.pem\"\n");
        REQUIRE(entry.settings.count("identity_file") == 1);
        CHECK(entry.settings.count("identity") == 0);
        auto created = deployers::create_deployer(entry, {});
        REQUIRE_MESSAGE(created.ok(), (created.ok() ? "" : created.error().message));
        CHECK((*created)->targets() == std::vector<std::string>{"web1.example.com:22"});
        CHECK(contains(create_error("[[certificate.deploy]]\ntype = \"ssh\"\n"
                                    "host = \"web1\"\nidentity_file = \"keys/id\"\n"
                                    "key_path = \"/k.pem\"\n"),
                       "identity_file: must be an absolute path"));
        CHECK(contains(create_error("[[certificate.deploy]]\ntype = \"ssh\"\nhost = \"web1\"\n"),
                       "no remote file to write"));
        CHECK(contains(create_error("[[certificate.deploy]]\ntype = \"ssh\"\nhost = \"web1\"\n"
                                    "key_path = \"/k.pem\"\nmode = \"rw\"\n"),
                       "mode: must be an octal mode"));
        CHECK(contains(create_error("[[certificate.deploy]]\ntype = \"ssh\"\nhost = \"web1\"\n"
                                    "key_path = \"/k.pem\"\n"
                                    "ssh_options = \"Compression=no StrictHostKeyChecking=no\"\n"),
                       "ssh_options: StrictHostKeyChecking is fixed by wildcert"));
        CHECK(contains(create_error("[[certificate.deploy]]\ntype = \"ssh\"\nhost = \"web1\"\n"
                                    "key_path = \"/k.pem\"\nssh_options = \"-v\"\n"),
                       "ssh_options: \"-v\" is not Name=value"));
        CHECK(contains(create_error("[[certificate.deploy]]\ntype = \"service\"\n"),
                       "set exactly one of unit"));
    }

    TEST_CASE("two targets on one socket are told apart by their crt") {
        const auto entry = entry_of("[[certificate.deploy]]\ntype = \"haproxy\"\n"
                                    "socket = \"/run/a.sock\"\n"
                                    "targets = [{ crt = \"/a.pem\" }, { crt = \"/b.pem\" }]\n");
        auto created = deployers::create_deployer(entry, {});
        REQUIRE(created.ok());
        const auto names = (*created)->targets();
        REQUIRE(names.size() == 2);
        CHECK(names[0] == "/run/a.sock /a.pem");
        CHECK(names[1] == "/run/a.sock /b.pem");
    }

    TEST_CASE("wildcert deployers knows command and haproxy") {
        REQUIRE(deployers::all_deployers().size() >= 2);
        CHECK(deployers::all_deployers()[0]->name == "command");
        CHECK(deployers::find_deployer("haproxy") != nullptr);
        CHECK(deployers::find_deployer("nope") == nullptr);
    }

    TEST_CASE("HAProxy gets the full chain then the key, with no empty line") {
        deployers::DeployInput input;
        input.fullchain_pem = "-----BEGIN CERTIFICATE-----\nAAA\n-----END CERTIFICATE-----\n\n"
                              "-----BEGIN CERTIFICATE-----\r\nBBB\r\n-----END CERTIFICATE-----";
        input.privkey_pem = "\n-----BEGIN PRIVATE KEY-----\nKKK\n-----END PRIVATE KEY-----\n\n";
        const auto pem = deployers::haproxy::haproxy_pem(input);
        CHECK(pem == "-----BEGIN CERTIFICATE-----\nAAA\n-----END CERTIFICATE-----\n"
                     "-----BEGIN CERTIFICATE-----\nBBB\n-----END CERTIFICATE-----\n"
                     "-----BEGIN PRIVATE KEY-----\nKKK\n-----END PRIVATE KEY-----\n");
        CHECK(pem.find("\n\n") == std::string::npos);
    }

    TEST_CASE("the status file keeps the targets done, and drops one with a line break") {
        store::CertificateStatus status;
        status.version = 4;
        status.deploy_pending = true;
        status.deployed = {"0 command", "1 /run/haproxy.sock", "2 bad\nname"};
        const auto parsed =
            store::parse_certificate_status(store::format_certificate_status(status));
        CHECK(parsed.version == 4);
        CHECK(parsed.deploy_pending);
        REQUIRE(parsed.deployed.size() == 2);
        CHECK(parsed.deployed[0] == "0 command");
        CHECK(parsed.deployed[1] == "1 /run/haproxy.sock");
    }

    TEST_CASE("host:port is split with IPv6 brackets, and a bad port is refused") {
        auto v6 = common::split_host_port("[::1]:8443");
        REQUIRE(v6.ok());
        CHECK(v6->host == "::1");
        CHECK(v6->port == 8443);
        auto named = common::split_host_port("lb.example.com:443");
        REQUIRE(named.ok());
        CHECK(named->host == "lb.example.com");
        CHECK_FALSE(common::split_host_port("lb.example.com").ok());
        CHECK_FALSE(common::split_host_port("lb.example.com:0").ok());
        CHECK_FALSE(common::split_host_port("lb.example.com:70000").ok());
        CHECK_FALSE(common::split_host_port("[::1]443").ok());
    }

    TEST_CASE("verification of an endpoint nobody serves fails in time, naming it") {
        // A port nothing listens on: bind one and close it again.
        auto socket =
            common::StreamSocket::connect("127.0.0.1:1", common::StreamSocket::Clock::now() + 1s);
        CHECK_FALSE(socket.ok());
        const VerifyEndpoint endpoint{
            .address = "127.0.0.1:1", .sni = "www.example.com", .origin = ""};
        const auto start = std::chrono::steady_clock::now();
        const auto outcome = deployers::verify_endpoint(endpoint, "00", "", 400ms, {});
        const auto took = std::chrono::steady_clock::now() - start;
        CHECK_FALSE(outcome.ok);
        CHECK(contains(outcome.failure, "verify 127.0.0.1:1 (sni www.example.com)"));
        CHECK(contains(outcome.failure, "connection refused"));
        CHECK(took < 3s);
        // A cancelled run stops waiting at once.
        const auto cancelled_start = std::chrono::steady_clock::now();
        const auto cancelled =
            deployers::verify_endpoint(endpoint, "00", "", 30s, [] { return true; });
        CHECK_FALSE(cancelled.ok);
        CHECK(std::chrono::steady_clock::now() - cancelled_start < 3s);
    }
}

#include "deployers/ssh/remote_script.hpp"
#include "deployers/ssh/ssh_command.hpp"

TEST_SUITE("deployers") {
    TEST_CASE("the remote script quotes every path and ends each file at a random line") {
        using namespace deployers::ssh;
        CHECK(shell_quote("/etc/it's here") == "'/etc/it'\\''s here'");
        RemoteJob job;
        job.files = {{"/etc/ssl/key.pem", "0600", "KEY\n"}, {"/etc/ssl/o'dd.pem", "0644", "CERT"}};
        job.owner = "www-data:ssl-cert";
        job.reload = "systemctl reload nginx";
        job.delimiter = "WILDCERT_EOF_test";
        const auto script = remote_script(job);
        CHECK(contains(script, "wc_new '/etc/ssl/key.pem' '0600' 'www-data:ssl-cert' "
                               "<<'WILDCERT_EOF_test'\nKEY\nWILDCERT_EOF_test\n"));
        CHECK(contains(script, "<<'WILDCERT_EOF_test'\nCERT\nWILDCERT_EOF_test\n"));
        CHECK(contains(script, "mv -f \"$wc_1\" '/etc/ssl/o'\\''dd.pem'\n"));
        // Every temporary file is complete before the first rename; the reload comes last.
        CHECK(script.find("mv -f") > script.rfind("WILDCERT_EOF_test"));
        CHECK(script.rfind("systemctl reload nginx") > script.rfind("mv -f"));
    }

    TEST_CASE("ssh gets strict host keys, no prompt, and the target's own key and port") {
        deployers::ssh::SshTarget target;
        target.host = "web1.example.com";
        target.port = 2222;
        target.user = "deploy";
        target.identity_file = "/etc/wildcert/deploy_ed25519";
        target.known_hosts = "/etc/wildcert/known_hosts";
        CHECK(target.name() == "deploy@web1.example.com:2222");
        const auto args = deployers::ssh::ssh_arguments(target);
        std::string joined;
        for (const auto& arg : args)
            joined += arg + " ";
        CHECK(contains(joined, "-o BatchMode=yes -o StrictHostKeyChecking=yes"));
        CHECK(contains(joined, "-p 2222 -l deploy -i /etc/wildcert/deploy_ed25519 -o "
                               "IdentitiesOnly=yes"));
        CHECK(contains(joined, "-o UserKnownHostsFile=/etc/wildcert/known_hosts"));
        CHECK(contains(joined, "-- web1.example.com sh -s "));
    }

    TEST_CASE("host key fingerprints are OpenSSH's SHA256 form") {
        // An ed25519 public key as known_hosts holds it; `ssh-keygen -lf` prints the
        // fingerprint checked here for it (OpenSSH 9.2, Debian 12).
        const std::string line =
            "[127.0.0.5]:2222 ssh-ed25519 "
            "AAAAC3NzaC1lZDI1NTE5AAAAIGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE";
        CHECK(deployers::ssh::key_fingerprint(line) ==
              "SHA256:ubxEl41fJDnUoEPKSZE0y6R0ZjjAQf/wV5vZgeBV8qk");
        CHECK(deployers::ssh::key_fingerprint("no key here").empty());
    }
}

TEST_SUITE("deployers") {
    TEST_CASE("examples/profiles/deployers.toml loads and builds every deployer") {
        const auto example =
            fs::path(WILDCERT_SOURCE_ROOT) / "examples" / "profiles" / "deployers.toml";
        auto profile = config::load_profile_with_env(
            example, [](const std::string& name) -> std::optional<std::string> {
                if (name == "TSIG_SECRET")
                    return "c2VjcmV0LWZvci10aGUtdGVzdA==";
                return std::nullopt;
            });
        REQUIRE_MESSAGE(profile.ok(), (profile.ok() ? "" : profile.error().message));
        REQUIRE(profile->certificates.at(0).deploy.size() == 2);
        for (const auto& entry : profile->certificates[0].deploy) {
            auto created = deployers::create_deployer(entry, {});
            REQUIRE_MESSAGE(created.ok(), (created.ok() ? "" : created.error().message));
            CHECK((*created)->targets().size() == entry.targets.size());
        }
    }
}
