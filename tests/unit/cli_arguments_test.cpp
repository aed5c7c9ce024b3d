// Unit tests for the command line: the parsing forms, "did you mean" hints, and the help and
// man page generated from the command tables (every option of the table shows up in them).
#include "cli/arguments.hpp"
#include "cli/command_table.hpp"
#include "cli/exit_codes.hpp"
#include "cli/help_text.hpp"
#include "cli/man_page.hpp"
#include "common/did_you_mean.hpp"
#include "config/profile_keys.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace wildcert;
using namespace wildcert::cli;
using namespace wildcert::common;

namespace {

Result<Arguments> parse(std::vector<std::string> args) {
    return parse_arguments(args);
}

std::string error_of(std::vector<std::string> args) {
    const auto parsed = parse(std::move(args));
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().kind == ErrorKind::usage);
    return parsed.error().message;
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

} // namespace

TEST_SUITE("cli arguments") {
    TEST_CASE("values as --opt value, --opt=value, -cFILE and -c FILE") {
        for (const auto& args :
             std::vector<std::vector<std::string>>{{"issue", "-c", "a.toml", "--state-dir", "/s"},
                                                   {"issue", "--config=a.toml", "--state-dir=/s"},
                                                   {"issue", "-ca.toml", "--state-dir", "/s"},
                                                   {"-c", "a.toml", "issue", "--state-dir=/s"}}) {
            const auto parsed = parse(args);
            REQUIRE_MESSAGE(parsed.ok(), parsed.error().message);
            CHECK(parsed->command == Command::issue);
            CHECK(parsed->profile == "a.toml");
            CHECK(parsed->state_dir == std::filesystem::path("/s"));
        }
    }

    TEST_CASE("flags, clusters and optional values") {
        const auto parsed =
            parse({"renew", "-vvc", "a.toml", "-v", "--json=stream", "--wait-lock=10m", "--force"});
        REQUIRE_MESSAGE(parsed.ok(), parsed.error().message);
        CHECK(parsed->verbosity == 3);
        CHECK(parsed->json);
        CHECK(parsed->json_stream);
        CHECK(parsed->wait_lock == std::chrono::minutes(10));
        CHECK(parsed->force);
        const auto several = parse({"renew", "-c", "a.toml", "-c", "b", "--cert", "x"});
        REQUIRE(several.ok());
        CHECK(several->profiles.size() == 2);
        CHECK(contains(error_of({"issue", "-c", "a", "--json=lines"}), "--json=stream"));
        CHECK(contains(error_of({"issue", "-c"}), "-c needs a value"));
        CHECK(contains(error_of({"renew", "-c", "a", "--force=yes"}), "takes no value"));
        CHECK(contains(error_of({"issue", "-c", "a", "--state-dir", "x", "--state-dir", "y"}),
                       "--state-dir is given twice"));
        CHECK(contains(error_of({"issue", "-c", "a", "--concurrency", "65"}), "1 to 64"));
    }

    TEST_CASE("did you mean: commands, options, actions") {
        CHECK(edit_distance("isue", "issue") == 1);
        CHECK(edit_distance("renwe", "renew") == 1);
        CHECK(edit_distance("", "abc") == 3);
        CHECK(contains(error_of({"isue", "-c", "a"}), "did you mean \"issue\"?"));
        CHECK(contains(error_of({"issue", "-c", "a", "--dryrun"}), "did you mean \"--dry-run\"?"));
        CHECK(contains(error_of({"issue", "-c", "a", "-json"}), "did you mean \"--json\"?"));
        CHECK(contains(error_of({"account", "shwo", "-c", "a"}), "did you mean \"show\"?"));
        CHECK(contains(error_of({"help", "chek"}), "did you mean \"check\"?"));
        // Nothing close: no hint.
        CHECK_FALSE(contains(error_of({"frobnicate"}), "did you mean"));
        // An option of another command says whose it is.
        CHECK(contains(error_of({"issue", "-c", "a", "--force"}),
                       "--force is not an option of issue (it is one of renew)"));
    }

    TEST_CASE("help: global, per command, help COMMAND") {
        const auto global = parse({"--help"});
        REQUIRE(global.ok());
        CHECK(global->command == Command::help);
        CHECK_FALSE(global->help_topic);
        const auto own = parse({"revoke", "--help"});
        REQUIRE(own.ok());
        CHECK(own->help_topic == std::string("revoke"));
        const auto topic = parse({"help", "renew"});
        REQUIRE(topic.ok());
        CHECK(topic->help_topic == std::string("renew"));
        CHECK(contains(error_of({}), "no command given"));
        CHECK(contains(error_of({"issue"}), "issue needs a profile: -c PROFILE"));
    }

    TEST_CASE("every command has its entry, and every option shows in help and wildcert(1)") {
        const std::string overview = usage_text();
        const std::string man = command_man_page();
        for (const Command command :
             {Command::help, Command::issue, Command::renew, Command::list, Command::check,
              Command::providers, Command::account, Command::revoke, Command::schedule,
              Command::cleanup, Command::delete_certificate, Command::list_names,
              Command::completion})
            CHECK(command_spec(command).command == command);
        for (const auto& command : all_commands()) {
            REQUIRE((command.run != nullptr));
            const std::string help = command_help(command);
            CHECK(contains(help, "Usage: wildcert " + std::string(command.name)));
            for (const auto* option : options_of(command)) {
                REQUIRE(option != nullptr); // a name in a command's list that is not declared
                CHECK_MESSAGE(contains(help, "--" + std::string(option->long_name)), command.name,
                              " --", option->long_name);
            }
            if (command.hidden)
                continue;
            CHECK(contains(overview, "  " + std::string(command.name)));
            CHECK(contains(man, ".SS " + roff_escape(command.name)));
        }
        for (const auto& option : all_options()) {
            CHECK(contains(overview, "--" + std::string(option.long_name)));
            CHECK(contains(man, "\\-\\-" + roff_escape(option.long_name)));
        }
        CHECK(contains(overview, "130"));
        CHECK(contains(overview, "143"));
    }

    TEST_CASE("wildcert.toml(5) documents every profile key") {
        const std::string man = profile_man_page();
        for (const auto& key : config::profile_keys())
            CHECK_MESSAGE(contains(man, "\\fB" + roff_escape(key.key) + "\\fR"), key.key);
        CHECK(contains(man, ".SH \"[[certificate.output]]\""));
        CHECK(contains(man, ".SS [dns.rfc2136]"));
    }

    TEST_CASE("roff: requests and escapes cannot leak from text") {
        CHECK(roff_escape(".TH x") == "\\&.TH x");
        CHECK(roff_escape("a\\b-c") == "a\\eb\\-c");
        CHECK(roff_escape("x\n'y") == "x\n\\&'y");
    }

    TEST_CASE("exit codes: usage and profile 2, a lock held by another run 3, the rest 1") {
        CHECK(cli::exit_code_for(Error{ErrorKind::usage, "x"}) == 2);
        CHECK(cli::exit_code_for(Error{ErrorKind::profile, "x"}) == 2);
        CHECK(cli::exit_code_for(Error{ErrorKind::locked, "x"}) == 3);
        CHECK(cli::exit_code_for(Error{ErrorKind::acme, "x"}) == 1);
        CHECK(cli::exit_code_for(Error{ErrorKind::interrupted, "x"}) == 1);
    }
}
