// Unit tests for `list`, `delete` and the dry-run rules (issue 13, items 9 and 11): the store's
// certificate names and lineage removal (never through a symlink), the profile recorded in
// info.txt, the certificate-only profile loader (no [acme]/[dns], unset ${VAR}s kept), the
// confirmation, the command line rules, and which directories a dry run may use.
#include "cli/arguments.hpp"
#include "cli/delete_command.hpp"
#include "config/load.hpp"
#include "core/dry_run_directory.hpp"
#include "store/certificate_record.hpp"
#include "store/state_dir.hpp"

#include <wildcert/certificate_store.hpp>

#include <doctest/doctest.h>

#include "temp_dir.hpp"

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

namespace fs = std::filesystem;
using namespace wildcert;

namespace {

using wildcert::test::TempDir;

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

store::StateDir opened(const fs::path& root) {
    auto state = store::StateDir::open(root);
    REQUIRE_MESSAGE(state.ok(), (state.ok() ? "" : state.error().message));
    return std::move(state).value();
}

// A version of `name` as install() writes it, with a record naming `profile`.
void install(const store::StateDir& state, const std::string& name, const std::string& profile) {
    store::CertificateRecord record{
        {name + ".example.com"}, "ec-p256", 1,      4000000000, "0a", "CA",
        "https://ca.test/dir",   false,     profile};
    const auto info = store::format_certificate_record(record);
    REQUIRE(info.ok());
    REQUIRE(state.install(name, {"KEY", "CERT", "CHAIN", "FULL", *info}).ok());
    REQUIRE(state.save_status(name, "version=1\n").ok());
}

Result<cli::Arguments> parse(std::vector<std::string> args) {
    return cli::parse_arguments(args);
}

Profile profile_with(const std::string& directory, const std::string& staging = {}) {
    Profile profile;
    profile.path = "/etc/wildcert/web.toml";
    profile.acme.directory_url = directory;
    profile.acme.staging_directory_url = staging;
    return profile;
}

} // namespace

TEST_SUITE("list and delete") {

    TEST_CASE("certificate_names: the live/ links with certificate names, sorted") {
        const TempDir dir;
        const auto state = opened(dir.path() / "state");
        CHECK(state.certificate_names()->empty());
        install(state, "web", "");
        install(state, "api", "");
        fs::create_directory(dir.path() / "state/live/not-a-link");
        fs::create_symlink("../archive/web/1",
                           dir.path() / "state/live/web.tmp-1-0123456789abcdef");
        const auto names = state.certificate_names();
        REQUIRE(names.ok());
        CHECK(*names == std::vector<std::string>{"api", "web"});
    }

    TEST_CASE("remove_lineage: live/, archive/ and status/ of one certificate, nothing else") {
        const TempDir dir;
        const auto state = opened(dir.path() / "state");
        install(state, "web", "");
        install(state, "web", "");
        install(state, "api", "");
        auto lineage = state.lineage("web");
        REQUIRE(lineage.ok());
        CHECK(lineage->live == dir.path() / "state/live/web");
        CHECK(lineage->archive == dir.path() / "state/archive/web");
        CHECK(lineage->versions == 2);
        CHECK(lineage->status == dir.path() / "state/status/web.txt");
        REQUIRE(state.remove_lineage("web").ok());
        CHECK_FALSE(fs::exists(fs::symlink_status(dir.path() / "state/live/web")));
        CHECK_FALSE(fs::exists(dir.path() / "state/archive/web"));
        CHECK_FALSE(fs::exists(dir.path() / "state/status/web.txt"));
        CHECK(state.lineage("web")->empty());
        CHECK(state.current_files("api")->cert_pem == "CERT");
        CHECK(fs::exists(dir.path() / "state/status/api.txt"));
        // Idempotent: what is gone is skipped.
        CHECK(state.remove_lineage("web").ok());
    }

    TEST_CASE("remove_lineage follows no symlink and refuses what is not wildcert's") {
        const TempDir dir;
        const auto state = opened(dir.path() / "state");
        const fs::path outside = dir.path() / "outside";
        fs::create_directories(outside / "keep");
        dir.write("outside/keep/file", "keep");
        install(state, "web", "");
        // A link inside a version is removed as a link.
        fs::create_directory_symlink(outside / "keep", dir.path() / "state/archive/web/1/planted");
        REQUIRE(state.remove_lineage("web").ok());
        CHECK(fs::exists(outside / "keep/file"));

        // archive/<name> as a link: refused before live/<name> goes.
        fs::create_symlink("../archive/linked/1", dir.path() / "state/live/linked");
        fs::create_directory_symlink(outside, dir.path() / "state/archive/linked");
        const auto linked = state.remove_lineage("linked");
        REQUIRE_FALSE(linked.ok());
        CHECK(contains(linked.error().message, "is a symbolic link"));
        CHECK(fs::is_symlink(dir.path() / "state/live/linked"));
        CHECK(fs::exists(outside / "keep/file"));

        // live/<name> as a real folder is someone else's.
        fs::create_directories(dir.path() / "state/live/real");
        const auto real = state.remove_lineage("real");
        REQUIRE_FALSE(real.ok());
        CHECK(contains(real.error().message, "is not a symlink made by wildcert"));
        CHECK(fs::exists(dir.path() / "state/live/real"));
        CHECK_FALSE(state.lineage("../x").ok());
    }

    TEST_CASE("info.txt records the profile; an old record has none") {
        store::CertificateRecord record{
            {"a.example.com"}, "ec-p256", 1, 2, "0a", "CA", "u", true, "/etc/wildcert/web.toml"};
        const auto text = store::format_certificate_record(record);
        REQUIRE(text.ok());
        CHECK(contains(*text, "profile=/etc/wildcert/web.toml\n"));
        CHECK(store::parse_certificate_record(*text)->profile == "/etc/wildcert/web.toml");
        const auto old = store::parse_certificate_record(
            "domains=a.example.com\nkey=ec-p256\nnot_before=1\nnot_after=2\n");
        REQUIRE(old);
        CHECK(old->profile.empty());
        record.profile.clear();
        CHECK_FALSE(contains(*store::format_certificate_record(record), "profile="));
    }

    TEST_CASE("CertificateStore: stored certificates with profile or none, delete under the lock") {
        const TempDir dir;
        {
            const auto state = opened(dir.path() / "state");
            install(state, "web", "/etc/wildcert/web.toml");
            install(state, "old", "");
        }
        auto store = CertificateStore::open(dir.path() / "state");
        REQUIRE(store.ok());
        const auto stored = store->certificates();
        REQUIRE(stored.ok());
        REQUIRE(stored->size() == 2);
        CHECK((*stored)[0].report.name == "old");
        CHECK_FALSE((*stored)[0].profile);
        CHECK((*stored)[1].profile == fs::path("/etc/wildcert/web.toml"));
        CHECK((*stored)[1].report.domains == std::vector<std::string>{"web.example.com"});
        CHECK((*stored)[1].report.live_dir == dir.path() / "state/live/web");

        const auto lock_file = opened(dir.path() / "state").certificate_lock("web");
        REQUIRE(lock_file.ok());
        {
            auto held = store::FileLock::try_lock(*lock_file);
            REQUIRE(held.ok());
            REQUIRE(*held);
            const auto refused = store->remove("web");
            REQUIRE(refused.ok());
            CHECK_FALSE(*refused); // another holder: nothing removed
            CHECK(fs::is_symlink(dir.path() / "state/live/web"));
        }
        const auto removed = store->remove("web");
        REQUIRE(removed.ok());
        REQUIRE(*removed);
        CHECK((*removed)->paths.size() == 3);
        CHECK(store->certificates()->size() == 1);
        const auto again = store->remove("web");
        REQUIRE_FALSE(again.ok());
        CHECK(again.error().kind == ErrorKind::usage);
        std::ifstream audit(dir.path() / "state/audit.log");
        const std::string log((std::istreambuf_iterator<char>(audit)), {});
        CHECK(contains(log, "\"event\":\"certificate-deleted\",\"certificate\":\"web\""));
    }

    TEST_CASE("the certificate-only loader: no [acme] or [dns], unset variables kept") {
        const TempDir dir;
        const std::string text = "[acme]\ndirectory = 42\n"
                                 "[dns]\nprovider = \"rfc2136\"\n"
                                 "[dns.rfc2136]\ntsig_secret = \"${TSIG_SECRET}\"\n"
                                 "[[certificate]]\nname = \"web\"\ndomains = [\"${ZONE}\"]\n"
                                 "[[certificate.output]]\nformat = \"pkcs12\"\n"
                                 "path = \"web.p12\"\npassword = \"${PFX_PASSWORD}\"\n";
        const auto path = dir.write("web.toml", text);
        std::map<std::string, std::string> env{{"ZONE", "web.example.com"}};
        const config::EnvLookup lookup = [&env](const std::string& name) {
            const auto found = env.find(name);
            return found == env.end() ? std::nullopt : std::optional<std::string>(found->second);
        };
        const config::EnvNames names = [] { return std::vector<std::string>{}; };
        const auto loaded = config::load_certificates_with_environment(path, lookup, names);
        REQUIRE_MESSAGE(loaded.ok(), (loaded.ok() ? "" : loaded.error().message));
        REQUIRE(loaded->certificates.size() == 1);
        CHECK(loaded->certificates[0].domains == std::vector<std::string>{"web.example.com"});
        CHECK(loaded->certificates[0].outputs[0].password.empty()); // not kept
        CHECK(loaded->unset_variables == std::vector<std::string>{"PFX_PASSWORD"});
        CHECK(loaded->path == path);
        // The full loader needs what list does not.
        CHECK_FALSE(config::load_profile_with_environment(path, lookup, names).ok());

        env.clear(); // a value list needs: still an error, naming the variable
        const auto failed = config::load_certificates_with_environment(path, lookup, names);
        REQUIRE_FALSE(failed.ok());
        CHECK(failed.error().kind == ErrorKind::profile);
        CHECK(contains(failed.error().message, "web.toml:"));
        CHECK(contains(failed.error().message, "(${ZONE} is not set)"));
    }

    TEST_CASE("confirmation: y or yes, anything else is no") {
        for (const char* yes : {"y\n", "YES\n", "  Yes \n", "y"}) {
            std::istringstream in(yes);
            CHECK_MESSAGE(cli::read_confirmation(in), yes);
        }
        for (const char* no : {"n\n", "\n", "", "yess\n", "no\n"}) {
            std::istringstream in(no);
            CHECK_FALSE_MESSAGE(cli::read_confirmation(in), no);
        }
    }

    TEST_CASE("command line: list without -c, delete with one --cert, the dry-run options") {
        const auto list = parse({"list", "--state-dir", "/tmp/s"});
        REQUIRE(list.ok());
        CHECK(list->profiles.empty());
        const auto deleting = parse({"delete", "--cert", "web", "--yes", "--json"});
        REQUIRE(deleting.ok());
        CHECK(deleting->command == cli::Command::delete_certificate);
        CHECK(deleting->yes);
        CHECK_FALSE(parse({"delete"}).ok());
        CHECK_FALSE(parse({"delete", "--cert", "a", "--cert", "b"}).ok());
        CHECK_FALSE(parse({"delete", "--cert", "a", "-c", "web.toml"}).ok());
        CHECK_FALSE(parse({"list", "--yes"}).ok());
        const auto production =
            parse({"renew", "-c", "p.toml", "--dry-run", "--dry-run-against-production"});
        REQUIRE(production.ok());
        CHECK(production->dry_run_against_production);
        const auto alone = parse({"renew", "-c", "p.toml", "--dry-run-against-production"});
        REQUIRE_FALSE(alone.ok());
        CHECK(contains(alone.error().message, "goes with --dry-run"));
        CHECK_FALSE(parse({"list", "--dry-run-against-production"}).ok());
    }

    TEST_CASE("known staging or test directories") {
        for (const char* url : {"https://acme-staging-v02.api.letsencrypt.org/directory",
                                "https://dv.acme-v02.test-api.pki.goog/directory",
                                "https://127.0.0.1:14000/dir", "http://localhost:4001/directory",
                                "https://[::1]:14000/dir", "https://pebble.test/dir",
                                "https://CA.Example.TEST./dir", "https://ca.localhost:8443/dir"})
            CHECK_MESSAGE(core::is_known_test_directory(url), url);
        for (const char* url :
             {"https://acme-v02.api.letsencrypt.org/directory", "https://acme.zerossl.com/v2/DV90",
              "https://ca.example.net/dir", "https://test/dir", "https://contest.example/dir",
              "https://example.test.example.com/dir", "https://127.example.com/dir",
              "https://acme-staging-v02.api.letsencrypt.org.evil.example/directory", "not a url"})
            CHECK_FALSE_MESSAGE(core::is_known_test_directory(url), url);
    }

    TEST_CASE("dry_run_directory: staging_directory, a known twin, a test CA, or refused") {
        const std::string production = "https://acme-v02.api.letsencrypt.org/directory";
        const std::string staging = "https://acme-staging-v02.api.letsencrypt.org/directory";
        CHECK(*core::dry_run_directory(profile_with(production, staging), false) == staging);
        // The profile's staging_directory says so, whatever it is.
        CHECK(*core::dry_run_directory(
                  profile_with("https://ca.example.net/dir", "https://staging.example.net/dir"),
                  false) == "https://staging.example.net/dir");
        // A known production URL spelt out has the same twin as its name.
        CHECK(*core::dry_run_directory(profile_with(production), false) == staging);
        CHECK(*core::dry_run_directory(profile_with("https://127.0.0.1:14000/dir"), false) ==
              "https://127.0.0.1:14000/dir");
        const auto refused =
            core::dry_run_directory(profile_with("https://ca.example.net/dir"), false);
        REQUIRE_FALSE(refused.ok());
        CHECK(refused.error().kind == ErrorKind::usage);
        CHECK(contains(refused.error().message, "/etc/wildcert/web.toml: --dry-run: "
                                                "https://ca.example.net/dir is not known"));
        CHECK(contains(refused.error().message, "--dry-run-against-production"));
        CHECK(*core::dry_run_directory(profile_with("https://ca.example.net/dir"), true) ==
              "https://ca.example.net/dir");
        // No twin known (ZeroSSL): refused too.
        CHECK_FALSE(
            core::dry_run_directory(profile_with("https://acme.zerossl.com/v2/DV90"), false).ok());
    }
}
