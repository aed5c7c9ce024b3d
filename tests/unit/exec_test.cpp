// Unit tests for the exec provider: real hook scripts written to a temporary folder at test
// time, run through the provider's factory exactly as a profile would configure it.
#include "config/load.hpp"
#include "process/child_process.hpp"
#include "process/output_tail.hpp"
#include "process/secret_redaction.hpp"
#include "providers/exec/exec_provider.hpp"

#include <doctest/doctest.h>

#include "temp_dir.hpp"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <vector>

using namespace wildcert;
using namespace wildcert::providers;
namespace fs = std::filesystem;

namespace {

// A fresh folder under $TMPDIR, removed with everything in it at scope exit.
using wildcert::test::TempDir;

fs::path write_script(const fs::path& path, const std::string& body, bool executable = true) {
    {
        std::ofstream out(path);
        out << "#!/bin/sh\n" << body;
    }
    ::chmod(path.c_str(), executable ? 0755 : 0644);
    return path;
}

std::string read_text(const fs::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

ProviderConfig exec_config(const fs::path& folder, std::map<std::string, SettingValue> settings) {
    // The origin names the profile as the config loader does: "file:line".
    const std::string origin = (folder / "profile.toml").string();
    for (auto& [key, value] : settings)
        value.origin = origin + ":7";
    return ProviderConfig{"exec", std::move(settings), origin + ":5"};
}

ProviderConfig command_config(const fs::path& folder, const std::string& command,
                              std::int64_t timeout = 10) {
    return exec_config(
        folder, {{"command", SettingValue{command, ""}}, {"timeout", SettingValue{timeout, ""}}});
}

std::unique_ptr<DnsProvider> make_provider(const ProviderConfig& config) {
    auto provider = exec::k_descriptor.create(config);
    REQUIRE_MESSAGE(provider.ok(), provider.error().message);
    return std::move(provider).value();
}

const TxtRecord k_wildcard{"example.com.", "_acme-challenge.example.com.",
                           "LPsIwTo7o8BoG0-vjCyGQGBWSVIPxI-i_X336eUOQZo", std::chrono::seconds(60)};
const TxtRecord k_apex{"example.com", "_acme-challenge.example.com",
                       "Z3MwBsTF2Vzrl0hyW6aHEf4Y7EPMdh93uOgFkVTsVO8", std::chrono::seconds(120)};

// Records every call as one line: the arguments, then the interface variables and stdin.
constexpr const char* k_logging_hook = R"sh(log="$(dirname "$0")/calls.log"
stdin="$(cat)"
printf '%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s\n' "$#" "$1" "$2" "$3" "$WILDCERT_ACTION" \
    "$WILDCERT_FQDN" "$WILDCERT_VALUE" "$WILDCERT_ZONE" "$WILDCERT_TTL" "$EXEC_TEST_INHERITED" \
    "stdin=$stdin" >>"$log"
)sh";

void clear_exec_env() {
    unsetenv("WILDCERT_EXEC_COMMAND");
    unsetenv("WILDCERT_EXEC_TIMEOUT");
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

} // namespace

TEST_SUITE("exec") {

    TEST_CASE("add and remove run the program once per record with the documented interface") {
        clear_exec_env();
        TempDir dir;
        write_script(dir.path() / "hook.sh", k_logging_hook);
        setenv("EXEC_TEST_INHERITED", "kept", 1);
        // An inherited variable of the interface's name must be replaced, not passed twice.
        setenv("WILDCERT_ACTION", "stale", 1);
        auto provider =
            make_provider(command_config(dir.path(), (dir.path() / "hook.sh").string()));

        const std::vector<TxtRecord> records{k_wildcard, k_apex};
        REQUIRE(provider->add(records).ok());
        REQUIRE(provider->remove(records).ok());
        unsetenv("WILDCERT_ACTION");
        unsetenv("EXEC_TEST_INHERITED");

        const std::string fqdn = "_acme-challenge.example.com.";
        const std::string expected =
            "3|add|" + fqdn + "|" + k_wildcard.value + "|add|" + fqdn + "|" + k_wildcard.value +
            "|example.com.|60|kept|stdin=\n" + "3|add|" + fqdn + "|" + k_apex.value + "|add|" +
            fqdn + "|" + k_apex.value + "|example.com.|120|kept|stdin=\n" + "3|remove|" + fqdn +
            "|" + k_wildcard.value + "|remove|" + fqdn + "|" + k_wildcard.value +
            "|example.com.|60|kept|stdin=\n" + "3|remove|" + fqdn + "|" + k_apex.value +
            "|remove|" + fqdn + "|" + k_apex.value + "|example.com.|120|kept|stdin=\n";
        CHECK(read_text(dir.path() / "calls.log") == expected);
    }

    TEST_CASE("a relative command is taken from the profile's folder") {
        clear_exec_env();
        TempDir dir;
        fs::create_directory(dir.path() / "hooks");
        write_script(dir.path() / "hooks" / "dns.sh", "echo \"$1\" >>\"$(dirname \"$0\")/ran\"\n");
        auto provider = make_provider(command_config(dir.path(), "hooks/dns.sh"));
        const std::vector<TxtRecord> records{k_wildcard};
        REQUIRE(provider->add(records).ok());
        CHECK(read_text(dir.path() / "hooks" / "ran") == "add\n");
    }

    TEST_CASE("a non-zero exit status is an error with the status and stderr's last lines") {
        clear_exec_env();
        TempDir dir;
        const auto hook = write_script(dir.path() / "fail.sh",
                                       "echo 'on stdout' \n"
                                       "echo 'first problem' >&2\n"
                                       "printf 'API said: \\033[31mzone locked\\033[0m\\n' >&2\n"
                                       "exit 3\n");
        auto provider = make_provider(command_config(dir.path(), hook.string()));
        const std::vector<TxtRecord> records{k_wildcard};
        const auto added = provider->add(records);
        REQUIRE_FALSE(added.ok());
        CHECK(added.error().kind == ErrorKind::provider);
        CHECK(added.error().message ==
              "exec: " + hook.string() +
                  " add _acme-challenge.example.com.: exit status 3: first "
                  "problem | API said: ?[31mzone locked?[0m");
    }

    TEST_CASE("a hook that says nothing on stderr is reported with its stdout, or as silent") {
        clear_exec_env();
        TempDir dir;
        const std::vector<TxtRecord> records{k_wildcard};
        auto talker = make_provider(command_config(
            dir.path(), write_script(dir.path() / "out.sh", "echo 'quota exceeded'\nexit 1\n")));
        const auto first = talker->add(records);
        REQUIRE_FALSE(first.ok());
        CHECK(first.error().message.ends_with(": exit status 1: stdout: quota exceeded"));

        auto silent = make_provider(
            command_config(dir.path(), write_script(dir.path() / "quiet.sh", "exit 42\n")));
        const auto second = silent->add(records);
        REQUIRE_FALSE(second.ok());
        CHECK(second.error().message.ends_with(": exit status 42: no output"));
    }

    TEST_CASE("a flood of output neither blocks the hook nor grows the error past its bound") {
        clear_exec_env();
        TempDir dir;
        // 1 MiB on each stream, more than any pipe buffer: a reader that waits for the exit before
        // reading would deadlock here.
        const auto hook =
            write_script(dir.path() / "flood.sh",
                         "i=0\nwhile [ $i -lt 16384 ]; do\n"
                         "  echo 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                         "xxx'\n"
                         "  echo 'yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"
                         "yyy' >&2\n"
                         "  i=$((i + 1))\ndone\necho 'the real cause' >&2\nexit 1\n");
        auto provider = make_provider(command_config(dir.path(), hook.string(), 30));
        const std::vector<TxtRecord> records{k_wildcard};
        const auto added = provider->add(records);
        REQUIRE_FALSE(added.ok());
        const auto& message = added.error().message;
        CHECK(message.ends_with(" | the real cause"));
        const auto prefix = "exec: " + hook.string() + " add _acme-challenge.example.com.: ";
        CHECK(message.size() <= prefix.size() + std::string("exit status 1: ").size() + 500);
    }

    TEST_CASE("a hook past its timeout is stopped, and the error says so") {
        clear_exec_env();
        TempDir dir;
        // The background sleep holds the output pipes open: the whole process group must go.
        const auto hook = write_script(dir.path() / "slow.sh",
                                       "echo 'waiting for the API' >&2\nsleep 30 &\nsleep 30\n");
        auto provider = make_provider(command_config(dir.path(), hook.string(), 1));
        const std::vector<TxtRecord> records{k_wildcard};
        const auto start = std::chrono::steady_clock::now();
        const auto added = provider->add(records);
        const double took = seconds_since(start);
        REQUIRE_FALSE(added.ok());
        CHECK(added.error().kind == ErrorKind::timeout);
        CHECK(added.error().message ==
              "exec: " + hook.string() +
                  " add _acme-challenge.example.com.: timed out after 1s (dns.exec.timeout); "
                  "stopped with SIGTERM: waiting for the API");
        // SIGTERM was enough, so no grace period was spent.
        CHECK(took < 3.0);
    }

    TEST_CASE("a hook that ignores SIGTERM gets SIGKILL after the grace period") {
        TempDir dir;
        const auto hook =
            write_script(dir.path() / "stubborn.sh", "trap '' TERM\necho stubborn >&2\nsleep 30\n");
        process::ChildLimits limits;
        limits.timeout = std::chrono::milliseconds(300);
        limits.kill_grace = std::chrono::milliseconds(500);
        const std::vector<std::string> arguments{"add"};
        const std::vector<std::string> environment{"PATH=/usr/bin:/bin"};
        const auto start = std::chrono::steady_clock::now();
        const auto outcome = process::run_child(hook, arguments, environment, limits);
        const double took = seconds_since(start);
        REQUIRE(outcome.ok());
        CHECK(outcome->end == process::ChildOutcome::End::timed_out);
        CHECK(outcome->killed);
        CHECK(outcome->stderr_tail == "stubborn\n");
        CHECK(took >= 0.75);
        CHECK(took < 2.5);
    }

    TEST_CASE("a hook killed by a signal is reported with the signal") {
        clear_exec_env();
        TempDir dir;
        const auto hook = write_script(dir.path() / "crash.sh", "echo 'about to crash' >&2\n"
                                                                "kill -SEGV $$\n");
        auto provider = make_provider(command_config(dir.path(), hook.string()));
        const std::vector<TxtRecord> records{k_wildcard};
        const auto added = provider->add(records);
        REQUIRE_FALSE(added.ok());
        CHECK(added.error().message.find(": killed by signal 11") != std::string::npos);
        CHECK(added.error().message.ends_with(": about to crash"));
    }

    TEST_CASE("a missing or unusable program is a clear error") {
        clear_exec_env();
        TempDir dir;
        const auto missing = dir.path() / "no-such-hook.sh";
        auto created = exec::k_descriptor.create(command_config(dir.path(), missing.string()));
        REQUIRE_FALSE(created.ok());
        CHECK(created.error().kind == ErrorKind::profile);
        CHECK(created.error().message.starts_with((dir.path() / "profile.toml").string() +
                                                  ":7: dns.exec.command: " + missing.string() +
                                                  ": No such file or directory"));

        const auto plain = write_script(dir.path() / "plain.sh", "exit 0\n", false);
        created = exec::k_descriptor.create(command_config(dir.path(), plain.string()));
        REQUIRE_FALSE(created.ok());
        CHECK(created.error().message.find(plain.string() + ": not executable") !=
              std::string::npos);

        created = exec::k_descriptor.create(command_config(dir.path(), dir.path().string()));
        REQUIRE_FALSE(created.ok());
        CHECK(created.error().message.ends_with(": not a regular file"));

        created = exec::k_descriptor.create(exec_config(dir.path(), {}));
        REQUIRE_FALSE(created.ok());
        CHECK(created.error().message ==
              (dir.path() / "profile.toml").string() +
                  ":5: dns.exec.command is required (or set WILDCERT_EXEC_COMMAND)");

        // Gone between the profile check and the run (or after a crash): the run says why.
        const auto vanishing = write_script(dir.path() / "vanishing.sh", "exit 0\n");
        auto provider = make_provider(command_config(dir.path(), vanishing.string()));
        fs::remove(vanishing);
        const std::vector<TxtRecord> records{k_wildcard};
        const auto added = provider->add(records);
        REQUIRE_FALSE(added.ok());
        CHECK(added.error().message ==
              "exec: " + vanishing.string() +
                  " add _acme-challenge.example.com.: cannot start: No such "
                  "file or directory");
    }

    TEST_CASE("the timeout setting is bounded and may come from the environment") {
        clear_exec_env();
        TempDir dir;
        const auto hook = write_script(dir.path() / "ok.sh", "exit 0\n");
        auto created = exec::k_descriptor.create(command_config(dir.path(), hook.string(), 0));
        REQUIRE_FALSE(created.ok());
        CHECK(created.error().message.ends_with("dns.exec.timeout: must be from 1s to 1h"));

        setenv("WILDCERT_EXEC_COMMAND", hook.c_str(), 1);
        setenv("WILDCERT_EXEC_TIMEOUT", "5", 1);
        created = exec::k_descriptor.create(exec_config(dir.path(), {}));
        clear_exec_env();
        CHECK(created.ok());
    }

    TEST_CASE("remove tries every record and reports the first failure") {
        clear_exec_env();
        TempDir dir;
        const auto hook =
            write_script(dir.path() / "picky.sh",
                         "echo \"$1 $3\" >>\"$(dirname \"$0\")/calls.log\"\n"
                         "[ \"$3\" != \"" +
                             k_wildcard.value + "\" ] || { echo 'API down' >&2; exit 5; }\n");
        auto provider = make_provider(command_config(dir.path(), hook.string()));
        const std::vector<TxtRecord> records{k_wildcard, k_apex};
        const auto removed = provider->remove(records);
        REQUIRE_FALSE(removed.ok());
        CHECK(removed.error().message.ends_with(": exit status 5: API down"));
        CHECK(read_text(dir.path() / "calls.log") ==
              "remove " + k_wildcard.value + "\nremove " + k_apex.value + "\n");

        // add stops at the first failure: nothing after it is published.
        fs::remove(dir.path() / "calls.log");
        REQUIRE_FALSE(provider->add(records).ok());
        CHECK(read_text(dir.path() / "calls.log") == "add " + k_wildcard.value + "\n");
    }

    TEST_CASE("credentials the hook echoes from its environment never reach the error") {
        clear_exec_env();
        TempDir dir;
        const std::string token = "cf-token-3f9a8b7c6d5e4f3a2b1c";
        const std::string password = "hunter2-but-longer";
        setenv("DNS_API_TOKEN", token.c_str(), 1);
        setenv("my_db_password", password.c_str(), 1);
        const auto hook = write_script(dir.path() / "leaky.sh",
                                       "echo \"> Authorization: Bearer $DNS_API_TOKEN\" >&2\n"
                                       "echo \"login with $my_db_password failed\" >&2\n"
                                       "exit 22\n");
        auto provider = make_provider(command_config(dir.path(), hook.string()));
        const std::vector<TxtRecord> records{k_wildcard};
        const auto added = provider->add(records);
        unsetenv("DNS_API_TOKEN");
        unsetenv("my_db_password");
        REQUIRE_FALSE(added.ok());
        const auto& message = added.error().message;
        CHECK(message.find(token) == std::string::npos);
        CHECK(message.find(password) == std::string::npos);
        CHECK(message.ends_with(
            "exit status 22: > Authorization: Bearer [redacted] | login with [redacted] failed"));
    }

    TEST_CASE("secret-looking variable names") {
        CHECK(process::is_secret_name("CLOUDFLARE_API_TOKEN"));
        CHECK(process::is_secret_name("AWS_SECRET_ACCESS_KEY"));
        CHECK(process::is_secret_name("tsig_key"));
        CHECK(process::is_secret_name("DB_PASSWORD"));
        CHECK_FALSE(process::is_secret_name("TSIG_KEY_FILE")); // a path, useful in the error
        CHECK_FALSE(process::is_secret_name("HOME"));
        CHECK_FALSE(process::is_secret_name("WILDCERT_VALUE"));

        const std::vector<std::string> environment{"API_TOKEN=abcdef123", "SHORT_KEY=abc",
                                                   "HOME=/home/abcdef123"};
        CHECK(process::redact_secrets("t=abcdef123 k=abc", environment) == "t=[redacted] k=abc");
    }

    TEST_CASE("last_lines keeps the end of the output within its bound") {
        CHECK(process::last_lines("", 500).empty());
        CHECK(process::last_lines("\n\n  \n", 500).empty());
        CHECK(process::last_lines("one\ntwo\r\n\nthree\n", 500) == "one | two | three");
        CHECK(process::last_lines("one\ntwo\nthree\n", 11) == "two | three");
        CHECK(process::last_lines("one\n" + std::string(600, 'z') + "\n", 500) ==
              "..." + std::string(497, 'z'));
        CHECK(process::last_lines("bell\a tab\tesc\x1b", 500) == "bell? tab esc?");

        process::OutputTail tail(8);
        tail.append("0123");
        CHECK_FALSE(tail.truncated());
        tail.append("456789");
        CHECK(tail.text() == "23456789");
        CHECK(tail.truncated());
        tail.append("abcdefghijk");
        CHECK(tail.text() == "defghijk");
    }

    TEST_CASE("the descriptor declares command and timeout, neither secret") {
        REQUIRE(exec::k_descriptor.name == "exec");
        REQUIRE(exec::k_descriptor.settings.size() == 2);
        CHECK(exec::k_descriptor.settings[0].key == "command");
        CHECK(exec::k_descriptor.settings[0].env == "WILDCERT_EXEC_COMMAND");
        CHECK(exec::k_descriptor.settings[0].required);
        CHECK(exec::k_descriptor.settings[1].key == "timeout");
        CHECK(exec::k_descriptor.settings[1].type == SettingType::duration);
        CHECK(exec::k_descriptor.settings[1].default_value == "60s");
    }

#ifdef WILDCERT_SOURCE_ROOT
    TEST_CASE("the example exec profile loads and its hook is accepted as the command") {
        clear_exec_env();
        const auto root = fs::path(WILDCERT_SOURCE_ROOT);
        const wildcert::config::EnvLookup no_env = [](const std::string&) {
            return std::optional<std::string>();
        };
        auto profile = wildcert::config::load_profile_with_env(
            root / "examples" / "profiles" / "exec.toml", no_env);
        REQUIRE_MESSAGE(profile.ok(), (profile.ok() ? "" : profile.error().message));
        REQUIRE(profile->dns.provider.name == "exec");
        // The example points at an installed path; the same table with the hook from the source
        // tree must build a provider.
        auto config = profile->dns.provider;
        config.settings["command"].value =
            (root / "examples" / "hooks" / "dns-nsupdate.sh").string();
        const auto created = exec::k_descriptor.create(config);
        CHECK_MESSAGE(created.ok(), (created.ok() ? "" : created.error().message));
    }
#endif

} // TEST_SUITE
