// Unit tests for `wildcert schedule`: the systemd units and the cron line it writes, with
// paths that need quoting, and --install into a temporary folder.
#include "cli/schedule_command.hpp"
#include "cli/schedule_units.hpp"
#include "config/variable_references.hpp"
#include "process/child_process.hpp"

#include <doctest/doctest.h>

#include "temp_dir.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using namespace wildcert;
using namespace wildcert::cli;
namespace fs = std::filesystem;

namespace {

using wildcert::test::TempDir;

std::string read_text(const fs::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

bool has_line(const std::string& text, const std::string& line) {
    std::istringstream in(text);
    for (std::string each; std::getline(in, each);) {
        if (each == line)
            return true;
    }
    return false;
}

ScheduleSpec plain_spec() {
    ScheduleSpec spec;
    spec.binary = "/usr/bin/wildcert";
    spec.profiles = {"/etc/wildcert/a.toml", "/etc/wildcert/b.toml"};
    return spec;
}

// What /bin/sh makes of `words` after cron turned each "\%" into "%" (crontab(5)).
std::vector<std::string> shell_words(const std::string& words) {
    std::string command;
    for (std::size_t i = 0; i < words.size(); ++i) {
        if (words[i] == '\\' && i + 1 < words.size() && words[i + 1] == '%')
            continue;
        command += words[i];
    }
    const std::vector<std::string> arguments{"-c", "printf '%s\\n' " + command};
    const std::vector<std::string> environment{"PATH=/usr/bin:/bin"};
    const auto outcome = process::run_child("/bin/sh", arguments, environment, {});
    REQUIRE(outcome.ok());
    std::vector<std::string> lines;
    std::istringstream in(outcome->stdout_tail);
    for (std::string line; std::getline(in, line);)
        lines.push_back(line);
    return lines;
}

} // namespace

TEST_SUITE("schedule") {
    TEST_CASE("the service runs wildcert renew with every profile, hardened") {
        auto spec = plain_spec();
        const auto text = service_unit(spec);
        INFO(text);
        CHECK(has_line(text, "[Service]"));
        CHECK(has_line(text, "Type=oneshot"));
        CHECK(has_line(text, "ExecStart=/usr/bin/wildcert renew -c /etc/wildcert/a.toml -c "
                             "/etc/wildcert/b.toml"));
        for (const auto* line : {"NoNewPrivileges=yes", "PrivateTmp=yes", "ProtectSystem=full",
                                 "After=network-online.target"})
            CHECK(has_line(text, line));
        // Without --state-dir, renew as root uses /var/lib/wildcert: that must stay writable.
        CHECK(has_line(text, "ReadWritePaths=-/var/lib/wildcert"));

        spec.state_dir = "/srv/wildcert/state";
        spec.certificates = {"example.com"};
        const auto with_state = service_unit(spec);
        CHECK(has_line(with_state, "ExecStart=/usr/bin/wildcert renew -c /etc/wildcert/a.toml -c "
                                   "/etc/wildcert/b.toml --state-dir /srv/wildcert/state --cert "
                                   "example.com"));
        CHECK(has_line(with_state, "ReadWritePaths=-/srv/wildcert/state"));
    }

    TEST_CASE("paths with spaces, quotes, % and $ are quoted and escaped for systemd") {
        ScheduleSpec spec;
        spec.binary = "/opt/wild cert/bin/wildcert";
        spec.profiles = {"/etc/wildcert/100% \"ok\" $HOME\\x.toml"};
        spec.state_dir = "/var/lib/my state %h";
        const auto text = service_unit(spec);
        INFO(text);
        // '%' starts a specifier and '$' a variable in ExecStart: both are doubled; quotes and
        // backslashes are escaped inside the double quotes that keep the spaces in one word.
        CHECK(has_line(text, "ExecStart=\"/opt/wild cert/bin/wildcert\" renew -c "
                             "\"/etc/wildcert/100%% \\\"ok\\\" $$HOME\\\\x.toml\" --state-dir "
                             "\"/var/lib/my state %%h\""));
        // ReadWritePaths= expands specifiers but not variables; the '-' goes inside the quotes.
        CHECK(has_line(text, "ReadWritePaths=\"-/var/lib/my state %%h\""));

        CHECK(systemd_word("/usr/bin/wildcert", true) == "/usr/bin/wildcert");
        CHECK(systemd_word("", true) == "\"\"");
        CHECK(systemd_word("a$b", false) == "\"a$b\"");
        CHECK(systemd_word("it's", true) == "\"it's\"");
    }

    TEST_CASE("the timer runs twice a day with a random delay and catches up") {
        const auto text = timer_unit(plain_spec());
        INFO(text);
        CHECK(has_line(text, "[Timer]"));
        CHECK(has_line(text, "OnCalendar=*-*-* 00,12:00:00"));
        CHECK(has_line(text, "RandomizedDelaySec=1h"));
        CHECK(has_line(text, "Persistent=true"));
        CHECK(has_line(text, "WantedBy=timers.target"));
    }

    TEST_CASE("the cron line runs at the given minute twice a day, quoted for sh and cron") {
        auto spec = plain_spec();
        spec.profiles = {"/etc/wild cert/it's 100%.toml"};
        spec.state_dir = "/var/lib/wildcert";
        const auto line = cron_line(spec, CronTime{17, 3});
        INFO(line);
        const std::string prefix =
            "17 3,15 * * * PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin exec ";
        REQUIRE(line.starts_with(prefix));
        CHECK(line.ends_with("\n"));
        // An unescaped '%' would end the command for cron.
        CHECK(line.find("100\\%") != std::string::npos);
        CHECK(line.find("100%") == std::string::npos);
        // What sh receives after cron's unescaping is exactly the arguments, one word each.
        const auto words = line.substr(prefix.size(), line.size() - prefix.size() - 1);
        CHECK(shell_words(words) == std::vector<std::string>{"/usr/bin/wildcert", "renew", "-q",
                                                             "-c", "/etc/wild cert/it's 100%.toml",
                                                             "--state-dir", "/var/lib/wildcert"});
        CHECK(cron_line(spec, CronTime{0, 11}).starts_with("0 11,23 * * * "));
    }

    TEST_CASE("--install writes both units atomically and again on a second run") {
        const TempDir dir;
        auto spec = plain_spec();
        const auto written = install_units(dir.path(), spec);
        REQUIRE_MESSAGE(written.ok(), written.error().message);
        const auto service = dir.path() / "wildcert-renew.service";
        const auto timer = dir.path() / "wildcert-renew.timer";
        CHECK(*written == std::vector<fs::path>{service, timer});
        CHECK(read_text(service) == service_unit(spec));
        CHECK(read_text(timer) == timer_unit(spec));
        const auto perms = fs::status(service).permissions();
        CHECK(perms == (fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                        fs::perms::others_read));

        spec.state_dir = "/srv/state";
        REQUIRE(install_units(dir.path(), spec).ok());
        CHECK(read_text(service).find("--state-dir /srv/state") != std::string::npos);
        std::size_t files = 0;
        for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir.path()))
            ++files;
        CHECK(files == 2); // no temporary file left behind

        const auto missing = install_units(dir.path() / "absent", spec);
        REQUIRE_FALSE(missing.ok());
        CHECK(missing.error().kind == ErrorKind::io);
        CHECK(missing.error().message.find("absent: not a folder") != std::string::npos);
    }

    TEST_CASE("each schedule has unit names of its own, from its profiles and certificates") {
        CHECK(unit_stem_for({"/etc/wildcert/site.toml"}, {}) == "wildcert-renew-site");
        CHECK(unit_stem_for({"/etc/wildcert/a.toml", "/etc/wildcert/profiles"}, {"web"}) ==
              "wildcert-renew-a-profiles-web");
        CHECK(unit_stem_for({"/etc/wc/my site $HOME.toml"}, {}) == "wildcert-renew-my_site__HOME");
        const std::vector<std::filesystem::path> many(20, "/etc/wildcert/a-long-profile-name.toml");
        const auto long_stem = unit_stem_for(many, {});
        CHECK(long_stem.size() < 100);
        CHECK(long_stem.starts_with("wildcert-renew-a-long-profile-name-a-long"));
        CHECK(long_stem != unit_stem_for(std::vector<std::filesystem::path>(21, many[0]), {}));
    }

    TEST_CASE("the variables a profile reads are found without being set") {
        CHECK(config::referenced_variables("a = \"${B}\"\nc = \"${A_1}x${B}\"\n") ==
              std::vector<std::string>{"A_1", "B"});
        // "$${" is a literal, a comment reads nothing, an unclosed or invalid name is no reference.
        CHECK(config::referenced_variables("a = \"$${HOME}\"\n  # k = \"${TSIG}\"\n"
                                           "b = \"${1X}${OPEN\"\nc = \"$X ${}\"")
                  .empty());
    }

    TEST_CASE("--install creates the environment file once, 0600, and keeps other schedules") {
        const TempDir dir;
        auto spec = plain_spec();
        spec.unit_stem = unit_stem_for(spec.profiles, {});
        spec.env_file = dir.path() / "etc" / "wildcert-renew-a-b.env";
        spec.variables = {"CF_TOKEN", "TSIG_SECRET"};
        const auto written = install_units(dir.path(), spec);
        REQUIRE_MESSAGE(written.ok(), written.error().message);
        CHECK(written->size() == 3);
        CHECK(read_text(spec.env_file).find("\nCF_TOKEN=\nTSIG_SECRET=\n") != std::string::npos);
        CHECK(fs::status(spec.env_file).permissions() ==
              (fs::perms::owner_read | fs::perms::owner_write));
        CHECK(has_line(read_text(dir.path() / "wildcert-renew-a-b.service"),
                       "EnvironmentFile=" + spec.env_file.string()));
        CHECK(fs::exists(dir.path() / "wildcert-renew-a-b.timer"));

        // The user filled it in: a second --install keeps the values.
        { std::ofstream(spec.env_file) << "TSIG_SECRET=filled\n"; }
        const auto again = install_units(dir.path(), spec);
        REQUIRE(again.ok());
        CHECK(again->size() == 2);
        CHECK(read_text(spec.env_file) == "TSIG_SECRET=filled\n");

        // Another profile list that happens to get the same unit names is another schedule.
        auto other = spec;
        other.profiles = {"/srv/a.toml", "/srv/b.toml"};
        const auto refused = install_units(dir.path(), other);
        REQUIRE_FALSE(refused.ok());
        CHECK(refused.error().kind == ErrorKind::usage);
        CHECK(refused.error().message.find("already schedules other profiles") !=
              std::string::npos);
        CHECK(read_text(dir.path() / "wildcert-renew-a-b.service") == service_unit(spec));
    }

    TEST_CASE("the cron line reads the environment file and appends to its log") {
        const TempDir dir;
        const auto binary = dir.path() / "wildcert";
        { std::ofstream(binary) << "#!/bin/sh\necho \"secret=$TSIG_SECRET path=$PATH $*\"\n"; }
        fs::permissions(binary, fs::perms::owner_all);
        ScheduleSpec spec;
        spec.binary = binary;
        spec.profiles = {"/etc/wildcert/site.toml"};
        spec.env_file = dir.path() / "site.env";
        spec.log_file = dir.path() / "site.log";
        { std::ofstream(spec.env_file) << "TSIG_SECRET='a b+/='\n"; }
        auto line = cron_line(spec, CronTime{5, 1});
        const std::string schedule = "5 1,13 * * * ";
        REQUIRE(line.starts_with(schedule));
        line = line.substr(schedule.size(), line.size() - schedule.size() - 1);
        const std::vector<std::string> arguments{"-c", line};
        for (int run = 0; run < 2; ++run) // appends, never truncates
            REQUIRE(process::run_child("/bin/sh", arguments, {}, {}).ok());
        const std::string expected =
            "secret=a b+/= path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "
            "renew -q -c /etc/wildcert/site.toml\n";
        CHECK(read_text(spec.log_file) == expected + expected);
    }

    TEST_CASE("schedule's options are its own") {
        Arguments parsed;
        parsed.command = Command::schedule;
        CHECK(check_schedule_arguments(parsed).error().message.starts_with(
            "schedule needs at least one profile"));
        parsed.profiles = {"a.toml"};
        parsed.profile = "a.toml";
        CHECK(check_schedule_arguments(parsed).ok());
        parsed.unit_dir = "/tmp";
        CHECK(check_schedule_arguments(parsed).error().message.starts_with(
            "--unit-dir goes with --install"));
        parsed.install = true;
        CHECK(check_schedule_arguments(parsed).ok());
        parsed.command = Command::issue;
        CHECK(check_schedule_arguments(parsed).error().kind == ErrorKind::usage);
    }
}
