// Unit tests for [[certificate.deploy]]: the profile keys and their errors, and the runner with
// real scripts written to a temporary folder at test time.
#include "config/load.hpp"
#include "core/deployment.hpp"
#include "deployers/command/command_hooks.hpp"

#include <doctest/doctest.h>

#include "error_text.hpp"

#include "temp_dir.hpp"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>
#include <vector>

using namespace wildcert;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

using wildcert::test::without_column;

namespace {

// A fresh folder under $TMPDIR, removed with everything in it at scope exit.
using wildcert::test::TempDir;

// Sets an environment variable for one scope and puts the old value back.
class ScopedEnv {
public:
    ScopedEnv(std::string name, const std::string& value) : m_name(std::move(name)) {
        if (const char* old = std::getenv(m_name.c_str()))
            m_old = old;
        ::setenv(m_name.c_str(), value.c_str(), 1);
    }
    ScopedEnv(const ScopedEnv&) = delete;
    ScopedEnv& operator=(const ScopedEnv&) = delete;
    ~ScopedEnv() {
        if (m_old)
            ::setenv(m_name.c_str(), m_old->c_str(), 1);
        else
            ::unsetenv(m_name.c_str());
    }

private:
    std::string m_name;
    std::optional<std::string> m_old;
};

fs::path write_file(const fs::path& path, const std::string& text) {
    fs::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary);
    out << text;
    return path;
}

fs::path write_script(const fs::path& path, const std::string& body) {
    write_file(path, "#!/bin/sh\n" + body);
    ::chmod(path.c_str(), 0755);
    return path;
}

std::string read_text(const fs::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        lines.push_back(line);
    return lines;
}

config::EnvLookup env_of(std::map<std::string, std::string> values) {
    return [values = std::move(values)](const std::string& name) -> std::optional<std::string> {
        const auto found = values.find(name);
        if (found == values.end())
            return std::nullopt;
        return found->second;
    };
}

// Profiles here put [[certificate]] on line 5 and [[certificate.deploy]] on line 8.
const std::string k_head = "[acme]\n"                              // 1
                           "directory = \"https://ca.test/dir\"\n" // 2
                           "[dns]\n"                               // 3
                           "provider = \"rfc2136\"\n"              // 4
                           "[[certificate]]\n"                     // 5
                           "name = \"example\"\n"                  // 6
                           "domains = [\"example.com\"]\n";        // 7

Result<Profile> load(const TempDir& dir, const std::string& deploy,
                     std::map<std::string, std::string> env = {}) {
    const auto path = write_file(dir.path() / "profile.toml", k_head + deploy);
    return config::load_profile_with_env(path, env_of(std::move(env)));
}

std::string load_error(const std::string& deploy) {
    const TempDir dir;
    const auto profile = load(dir, deploy);
    REQUIRE_FALSE(profile.ok());
    CHECK(profile.error().kind == ErrorKind::profile);
    return profile.error().message;
}

DeploySettings hook(std::vector<std::string> command,
                    std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    DeploySettings settings;
    settings.command = std::move(command);
    settings.timeout = timeout;
    return settings;
}

deployers::DeployContext context_in(const fs::path& state) {
    deployers::DeployContext context;
    context.name = "example";
    context.domains = {"*.example.com", "example.com"};
    context.live_dir = state / "live" / "example";
    context.cert = context.live_dir / "cert.pem";
    context.chain = context.live_dir / "chain.pem";
    context.fullchain = context.live_dir / "fullchain.pem";
    context.key = context.live_dir / "privkey.pem";
    context.outputs = {state / "out" / "example.p12", state / "out" / "example.pem"};
    context.serial_hex = "0a1b2c3d";
    context.not_after = "2027-03-01T12:00:00Z";
    context.dry_run = true;
    return context;
}

struct LogLines {
    std::vector<std::pair<LogLevel, std::string>> lines;

    [[nodiscard]] LogSink sink() {
        return [this](LogLevel level, std::string_view text) {
            lines.emplace_back(level, std::string(text));
        };
    }
    [[nodiscard]] std::string all() const {
        std::string text;
        for (const auto& [level, line] : lines)
            text += (level == LogLevel::info ? "info: " : "debug: ") + line + "\n";
        return text;
    }
};

const std::function<bool()> k_never = [] { return false; };

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

} // namespace

TEST_SUITE("deploy") {
    TEST_CASE("deploy tables load in order with their defaults") {
        const TempDir dir;
        const auto profile = load(dir,
                                  "[[certificate.deploy]]\n"                           // 8
                                  "command = [\"./hooks/push.sh\", \"--reload\"]\n"    // 9
                                  "[[certificate.deploy]]\n"                           // 10
                                  "command = [\"systemctl\", \"reload\", \"nginx\"]\n" // 11
                                  "timeout = \"1m30s\"\n"                              // 12
                                  "[[certificate.deploy]]\n"                           // 13
                                  "command = [\"/usr/bin/curl\", \"-H\", \"${AUTH}\"]\n"
                                  "timeout = 5\n",
                                  {{"AUTH", "Authorization: Bearer tok-very-secret"}});
        REQUIRE_MESSAGE(profile.ok(), profile.error().message);
        const auto& deploy = profile->certificates.at(0).deploy;
        REQUIRE(deploy.size() == 3);
        // A path with a slash is the profile's folder's; a bare name waits for PATH at run time.
        CHECK(deploy[0].command ==
              std::vector<std::string>{(dir.path() / "hooks/push.sh").string(), "--reload"});
        CHECK(deploy[0].timeout == 60s);
        CHECK(without_column(deploy[0].origin) == (dir.path() / "profile.toml").string() + ":8");
        CHECK(deploy[1].command == std::vector<std::string>{"systemctl", "reload", "nginx"});
        CHECK(deploy[1].timeout == 90s);
        CHECK(deploy[1].shown == "systemctl reload nginx");
        CHECK(deploy[2].command.at(2) == "Authorization: Bearer tok-very-secret");
        CHECK(deploy[2].timeout == 5s);
        // What logs and reports show keeps the variable's name, never its value.
        CHECK(deploy[2].shown == "/usr/bin/curl -H ${AUTH}");
    }

    TEST_CASE("a profile without deploy tables has none") {
        const TempDir dir;
        const auto profile = load(dir, "");
        REQUIRE(profile.ok());
        CHECK(profile->certificates.at(0).deploy.empty());
    }

    TEST_CASE("deploy errors name the file, the line and the key") {
        const auto at = [](const std::string& deploy, int line, const std::string& key,
                           const std::string& also) {
            const auto message = without_column(load_error(deploy));
            INFO("message: " << message);
            CHECK(message.find("profile.toml:" + std::to_string(line) + ": " + key + ": ") !=
                  std::string::npos);
            CHECK(message.find(also) != std::string::npos);
        };
        at("[[certificate.deploy]]\ncommand = \"nginx -s reload\"\n", 9,
           "certificate[1].deploy[1].command",
           "must be an array of arguments, not a string: it runs without a shell (write "
           "command = [\"nginx\", \"-s\", \"reload\"])");
        at("[[certificate.deploy]]\ncommand = []\n", 9, "certificate[1].deploy[1].command",
           "must name a program");
        at("[[certificate.deploy]]\ncommand = [\"a\"]\n[[certificate.deploy]]\n"
           "command = [\"b\", \"\"]\n",
           11, "certificate[1].deploy[2].command[2]", "must not be empty");
        at("[[certificate.deploy]]\ncommand = [\"b\", 3]\n", 9,
           "certificate[1].deploy[1].command[2]", "expected a string, got an integer");
        at("[[certificate.deploy]]\ncommand = [\"b\"]\ntimeout = \"0s\"\n", 10,
           "certificate[1].deploy[1].timeout", "out of range: more than 0 and at most 1h");
        at("[[certificate.deploy]]\ncommand = [\"b\"]\ntimeout = \"1h1s\"\n", 10,
           "certificate[1].deploy[1].timeout", "'1h1s' is out of range");
        at("[[certificate.deploy]]\ncommand = [\"b\"]\ntimeout = 3601\n", 10,
           "certificate[1].deploy[1].timeout", "3601 is out of range");
        at("[[certificate.deploy]]\ncommand = [\"b\"]\ntimeout = \"soon\"\n", 10,
           "certificate[1].deploy[1].timeout", "'soon' is not a duration");
        at("[[certificate.deploy]]\ncommand = [\"b\"]\ntimeout = true\n", 10,
           "certificate[1].deploy[1].timeout", "expected a duration");
        at("[[certificate.deploy]]\ncommand = [\"b\"]\nshell = true\n", 10,
           "certificate[1].deploy[1].shell", "unknown key");
        at("[certificate.deploy]\ncommand = [\"b\"]\n", 8, "certificate[1].deploy",
           "expected an array of tables ([[certificate.deploy]])");
        const auto missing = load_error("[[certificate.deploy]]\ntimeout = \"5s\"\n");
        CHECK(without_column(missing).find(
                  "profile.toml:8: certificate[1].deploy[1].type: missing: set type = "
                  "\"haproxy\"") != std::string::npos);
    }

    TEST_CASE("an interpolated command string is not echoed in the error") {
        const TempDir dir;
        const auto profile = load(dir, "[[certificate.deploy]]\ncommand = \"${HOOK}\"\n",
                                  {{"HOOK", "push --token hunter2-secret"}});
        REQUIRE_FALSE(profile.ok());
        CHECK(profile.error().message.find("hunter2") == std::string::npos);
        CHECK(profile.error().message.find("[\"/path/to/program\", \"arg\"]") != std::string::npos);
    }

    TEST_CASE("a hook sees every documented variable with its value, and its arguments") {
        const TempDir dir;
        const auto seen = dir.path() / "seen.env";
        const auto args = dir.path() / "args";
        const auto script = write_script(
            dir.path() / "record.sh",
            "env > '" + seen.string() + "'\nprintf '%s\\n' \"$@\" > '" + args.string() + "'\n");
        // Inherited variables pass; an inherited interface variable is replaced, not doubled.
        const ScopedEnv inherited("DEPLOY_TEST_INHERITED", "kept");
        const ScopedEnv stale("WILDCERT_CERT", "/stale/cert.pem");
        const auto context = context_in(dir.path());
        LogLines log;
        const auto outcomes = deployers::run_deploy_hooks(
            {hook({script.string(), "two words", "--flag"})}, context, log.sink(), k_never);
        REQUIRE(outcomes.size() == 1);
        CHECK_MESSAGE(outcomes[0].ok, outcomes[0].failure);
        CHECK(outcomes[0].failure.empty());
        CHECK(outcomes[0].command == script.string() + " two words --flag");

        std::map<std::string, std::vector<std::string>> env;
        for (const auto& line : lines_of(read_text(seen))) {
            const auto equals = line.find('=');
            if (equals != std::string::npos)
                env[line.substr(0, equals)].push_back(line.substr(equals + 1));
        }
        const auto live = dir.path() / "live" / "example";
        const std::map<std::string, std::string> expected{
            {"WILDCERT_NAME", "example"},
            {"WILDCERT_DOMAINS", "*.example.com example.com"},
            {"WILDCERT_LIVE_DIR", live.string()},
            {"WILDCERT_CERT", (live / "cert.pem").string()},
            {"WILDCERT_CHAIN", (live / "chain.pem").string()},
            {"WILDCERT_FULLCHAIN", (live / "fullchain.pem").string()},
            {"WILDCERT_KEY", (live / "privkey.pem").string()},
            {"WILDCERT_OUTPUTS", (dir.path() / "out/example.p12").string() + " " +
                                     (dir.path() / "out/example.pem").string()},
            {"WILDCERT_SERIAL", "0a1b2c3d"},
            {"WILDCERT_NOT_AFTER", "2027-03-01T12:00:00Z"},
            {"WILDCERT_DRY_RUN", "1"},
            {"DEPLOY_TEST_INHERITED", "kept"},
        };
        for (const auto& [name, value] : expected) {
            INFO(name);
            CHECK(env[name] == std::vector<std::string>{value});
        }
        CHECK(lines_of(read_text(args)) == std::vector<std::string>{"two words", "--flag"});

        auto live_run = context;
        live_run.dry_run = false;
        live_run.outputs.clear();
        REQUIRE(deployers::run_deploy_hooks({hook({script.string()})}, live_run, {}, {}).at(0).ok);
        const auto text = read_text(seen);
        CHECK(text.find("\nWILDCERT_DRY_RUN=0\n") != std::string::npos);
        CHECK(text.find("\nWILDCERT_OUTPUTS=\n") != std::string::npos);
    }

    TEST_CASE("a failing hook stops the next one and reports its status and output") {
        const TempDir dir;
        const auto marker = dir.path() / "second-ran";
        const auto failing =
            write_script(dir.path() / "fail.sh", "echo 'checking config'\n"
                                                 "echo 'nginx: [emerg] bad directive' >&2\n"
                                                 "exit 3\n");
        const auto second =
            write_script(dir.path() / "second.sh", "touch '" + marker.string() + "'\n");
        LogLines log;
        const auto outcomes =
            deployers::run_deploy_hooks({hook({failing.string(), "-t"}), hook({second.string()})},
                                        context_in(dir.path()), log.sink(), k_never);
        REQUIRE(outcomes.size() == 1);
        CHECK_FALSE(outcomes[0].ok);
        CHECK(outcomes[0].failure == "exited with status 3");
        CHECK(outcomes[0].output_tail == "checking config | nginx: [emerg] bad directive");
        CHECK_FALSE(fs::exists(marker));

        const auto text = log.all();
        INFO(text);
        CHECK(text.find("info: deploy example [1/2] " + failing.string() + " -t: failed after ") !=
              std::string::npos);
        CHECK(text.find(": exited with status 3: checking config | nginx: [emerg] bad "
                        "directive\n") != std::string::npos);
        CHECK(text.find("debug: deploy example [1/2] " + failing.string() +
                        " -t: stderr: nginx: [emerg] bad directive\n") != std::string::npos);
        CHECK(text.find("[2/2]") == std::string::npos);

        // Each hook that succeeds lets the next one run.
        const auto ok = write_script(dir.path() / "ok.sh", "exit 0\n");
        const auto both = deployers::run_deploy_hooks(
            {hook({ok.string()}), hook({second.string()})}, context_in(dir.path()), {}, k_never);
        REQUIRE(both.size() == 2);
        CHECK((both[0].ok && both[1].ok));
        CHECK(fs::exists(marker));
    }

    TEST_CASE("a hook killed by a signal says which") {
        const TempDir dir;
        const auto script = write_script(dir.path() / "crash.sh", "kill -KILL $$\n");
        const auto outcomes = deployers::run_deploy_hooks({hook({script.string()})},
                                                          context_in(dir.path()), {}, k_never);
        REQUIRE(outcomes.size() == 1);
        CHECK_FALSE(outcomes[0].ok);
        CHECK(outcomes[0].failure.starts_with("killed by signal 9"));
    }

    TEST_CASE("a hook that outlives its timeout is stopped, with what it started") {
        const TempDir dir;
        const auto script =
            write_script(dir.path() / "slow.sh", "echo 'waiting for the appliance'\nsleep 30\n");
        const auto start = std::chrono::steady_clock::now();
        const auto outcomes = deployers::run_deploy_hooks({hook({script.string()}, 300ms)},
                                                          context_in(dir.path()), {}, k_never);
        const double took = seconds_since(start);
        REQUIRE(outcomes.size() == 1);
        CHECK_FALSE(outcomes[0].ok);
        CHECK(outcomes[0].failure == "timed out after 300ms (stopped with SIGTERM)");
        CHECK(outcomes[0].output_tail == "waiting for the appliance");
        CHECK(took >= 0.3);
        CHECK(took < 3.0); // far from the 30 s the sleep would take
    }

    TEST_CASE("a command that cannot start is reported as such") {
        const TempDir dir;
        const auto missing = dir.path() / "no-such-hook";
        auto outcomes = deployers::run_deploy_hooks({hook({missing.string()})},
                                                    context_in(dir.path()), {}, k_never);
        REQUIRE(outcomes.size() == 1);
        CHECK_FALSE(outcomes[0].ok);
        CHECK(outcomes[0].failure == "cannot start: No such file or directory");

        const auto not_executable = write_file(dir.path() / "plain.sh", "exit 0\n");
        outcomes = deployers::run_deploy_hooks({hook({not_executable.string()})},
                                               context_in(dir.path()), {}, k_never);
        REQUIRE(outcomes.size() == 1);
        CHECK(outcomes[0].failure == "cannot start: Permission denied");

        const ScopedEnv path("PATH", dir.path().string());
        outcomes = deployers::run_deploy_hooks({hook({"wildcert-no-such-hook"})},
                                               context_in(dir.path()), {}, k_never);
        REQUIRE(outcomes.size() == 1);
        CHECK(outcomes[0].failure == "cannot start: wildcert-no-such-hook not found in PATH (" +
                                         dir.path().string() + ")");
    }

    TEST_CASE("a bare command name is found through PATH when it runs") {
        const TempDir dir;
        const auto first = dir.path() / "first";
        const auto second = dir.path() / "second";
        const auto marker = dir.path() / "ran";
        // The first folder's file is not executable, so the search goes on to the second.
        write_file(first / "wildcert-test-hook", "#!/bin/sh\nexit 7\n");
        write_script(second / "wildcert-test-hook", "echo \"$0\" > '" + marker.string() + "'\n");
        const char* old = std::getenv("PATH");
        const ScopedEnv path("PATH", first.string() + ":" + second.string() + ":" +
                                         (old != nullptr ? old : "/usr/bin:/bin"));
        const auto outcomes = deployers::run_deploy_hooks({hook({"wildcert-test-hook"})},
                                                          context_in(dir.path()), {}, k_never);
        REQUIRE(outcomes.size() == 1);
        CHECK_MESSAGE(outcomes[0].ok, outcomes[0].failure);
        CHECK(outcomes[0].command == "wildcert-test-hook");
        CHECK(read_text(marker) == (second / "wildcert-test-hook").string() + "\n");
    }

    TEST_CASE("secrets of the caller's environment and of the profile stay out of reports") {
        const TempDir dir;
        const ScopedEnv token("DEPLOY_TEST_API_TOKEN", "tok-0123456789-secret");
        const auto script =
            write_script(dir.path() / "leaky.sh", "echo \"token is $DEPLOY_TEST_API_TOKEN\"\n"
                                                  "echo \"key at $WILDCERT_KEY\" >&2\nexit 1\n");
        const auto profile = load(dir,
                                  "[[certificate.deploy]]\n"
                                  "command = [\"" +
                                      script.string() + "\", \"${PUSH_SECRET}\"]\n",
                                  {{"PUSH_SECRET", "pw-from-env"}});
        REQUIRE_MESSAGE(profile.ok(), profile.error().message);
        LogLines log;
        const auto context = context_in(dir.path());
        const auto outcomes = deployers::run_deploy_hooks(profile->certificates.at(0).deploy,
                                                          context, log.sink(), k_never);
        REQUIRE(outcomes.size() == 1);
        CHECK(outcomes[0].command == script.string() + " ${PUSH_SECRET}");
        const std::string everything =
            outcomes[0].command + outcomes[0].failure + outcomes[0].output_tail + log.all();
        INFO(everything);
        CHECK(everything.find("tok-0123456789-secret") == std::string::npos);
        CHECK(outcomes[0].output_tail.find("token is [redacted]") != std::string::npos);
        // Our own variables are paths, not secrets, whatever their names look like.
        CHECK(outcomes[0].output_tail.find("key at " + context.key.string()) != std::string::npos);
        CHECK(log.all().find("${PUSH_SECRET}") != std::string::npos);
    }

    TEST_CASE("cancellation stops the running hook and starts no other") {
        const TempDir dir;
        const auto marker = dir.path() / "second-ran";
        const auto slow = write_script(dir.path() / "slow.sh", "sleep 30\n");
        const auto second =
            write_script(dir.path() / "second.sh", "touch '" + marker.string() + "'\n");
        int polls = 0;
        const std::function<bool()> cancel_soon = [&polls] { return ++polls > 3; };
        const auto start = std::chrono::steady_clock::now();
        auto outcomes =
            deployers::run_deploy_hooks({hook({slow.string()}), hook({second.string()})},
                                        context_in(dir.path()), {}, cancel_soon);
        CHECK(seconds_since(start) < 3.0);
        REQUIRE(outcomes.size() == 1);
        CHECK(outcomes[0].failure == "interrupted (stopped with SIGTERM)");
        CHECK_FALSE(fs::exists(marker));

        const std::function<bool()> cancelled = [] { return true; };
        outcomes = deployers::run_deploy_hooks({hook({second.string()})}, context_in(dir.path()),
                                               {}, cancelled);
        REQUIRE(outcomes.size() == 1);
        CHECK_FALSE(outcomes[0].ok);
        CHECK(outcomes[0].failure == "not started: interrupted");
        CHECK_FALSE(fs::exists(marker));
    }

    TEST_CASE("DeployRunner alone: hooks run in order, the first failure stops them, each is "
              "audited; a dry run audits none") {
        const TempDir dir;
        std::vector<core::AuditEvent> events;
        const core::ProgressLog log({});
        const core::DeployRunner runner(
            log, {}, {}, [&](const core::AuditEvent& event) { events.push_back(event); });
        CertificateSettings certificate;
        certificate.name = "example";
        certificate.domains = {"example.com"};
        certificate.deploy = {hook({"/bin/true"}), hook({"/bin/false"}), hook({"/bin/true"})};
        core::DeployTarget target;
        target.certificate = &certificate;
        target.live_dir = dir.path();
        target.serial_hex = "0a";

        const auto report = runner.deploy(target);
        CHECK(report.ran);
        CHECK_FALSE(report.ok);
        REQUIRE(report.hooks.size() == 2);
        CHECK(report.hooks[0].ok);
        CHECK_FALSE(report.hooks[1].ok);
        REQUIRE(events.size() == 2);
        CHECK(events[0].event == "hook-run");
        CHECK(events[0].ok);
        CHECK_FALSE(events[1].ok);
        CHECK(events[1].serial_hex == "0a");

        events.clear();
        target.dry_run = true;
        const auto dry = runner.deploy(target);
        CHECK(dry.hooks.size() == 2);
        CHECK(events.empty());
    }
}
