// Unit tests for the hardening of the state directory (src/store/folder.hpp, state_dir.hpp):
// planted symlinks refused, folders of other users refused, loose modes repaired, bounded
// reads of regular files only, lock names that cannot collide, and outputs kept out of it.
#include "common/regular_file.hpp"
#include "config/load.hpp"
#include "config/output_location.hpp"
#include "config/small_file.hpp"
#include "store/atomic_file.hpp"
#include "store/file_lock.hpp"
#include "store/state_dir.hpp"

#include <doctest/doctest.h>

#include "error_text.hpp"

#include "temp_dir.hpp"

#include <chrono>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace wildcert;
using namespace wildcert::store;

using wildcert::test::without_column;

namespace {

using wildcert::test::TempDir;

mode_t mode_of(const fs::path& path) {
    struct stat info {};
    REQUIRE(::lstat(path.c_str(), &info) == 0);
    return info.st_mode & 07777;
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

CertificateFiles files(const std::string& tag) {
    return CertificateFiles{"KEY " + tag, "CERT " + tag, "CHAIN " + tag, "FULL " + tag,
                            "domains=x\n"};
}

StateDir opened(const fs::path& root) {
    Result<StateDir> state = StateDir::open(root);
    REQUIRE_MESSAGE(state.ok(), (state.ok() ? "" : state.error().message));
    return std::move(state).value();
}

// The uid of nobody where it exists; a uid no account has otherwise (chown accepts any).
constexpr uid_t k_other_uid = 65534;

} // namespace

TEST_SUITE("state dir hardening") {

    TEST_CASE("a top-level entry planted as a symlink fails open(), nothing written there") {
        for (const char* name : {"archive", "live", "locks", "journal", "accounts", "status",
                                 "retired-accounts", "dry-run", "audit.log"}) {
            CAPTURE(name);
            const TempDir scratch;
            const TempDir elsewhere;
            fs::create_directories(scratch.path() / "state");
            fs::create_directory_symlink(elsewhere.path(), scratch.path() / "state" / name);
            const Result<StateDir> state = StateDir::open(scratch.path() / "state");
            REQUIRE_FALSE(state.ok());
            CHECK(state.error().kind == ErrorKind::io);
            CHECK(contains(state.error().message, name));
            CHECK(contains(state.error().message, "symbolic link"));
            CHECK(fs::is_empty(elsewhere.path()));
        }
    }

    TEST_CASE("a folder swapped for a symlink during a run is not followed") {
        const TempDir scratch;
        const TempDir elsewhere;
        const StateDir state = opened(scratch.path());
        REQUIRE(state.install("web", files("v1")).ok());
        REQUIRE(state.save_status("web", "version=1\n").ok());
        REQUIRE(state.certificate_lock("web").ok()); // creates locks/

        for (const char* name : {"archive", "status", "locks"}) {
            fs::rename(scratch.path() / name, scratch.path() / (std::string(name) + ".moved"));
            fs::create_directory_symlink(elsewhere.path(), scratch.path() / name);
        }
        CHECK_FALSE(state.install("web", files("v2")).ok());
        CHECK_FALSE(state.save_status("web", "version=2\n").ok());
        CHECK_FALSE(state.certificate_lock("web").ok());
        CHECK_FALSE(state.current_private_key("web").ok());
        CHECK(fs::is_empty(elsewhere.path()));

        // A planted audit.log link: the append refuses instead of writing wherever it points.
        const fs::path target = elsewhere.path() / "appended";
        fs::create_symlink(target, scratch.path() / "audit.log");
        const Result<void> appended = state.append_audit("{\"event\":\"x\"}");
        REQUIRE_FALSE(appended.ok());
        CHECK(contains(appended.error().message, "audit.log"));
        CHECK_FALSE(fs::exists(target));
    }

    TEST_CASE("group- or world-writable folders of the runner are repaired to 0700") {
        const TempDir scratch;
        const fs::path root = scratch.path() / "state";
        fs::create_directories(root / "archive");
        ::chmod(root.c_str(), 0777);
        ::chmod((root / "archive").c_str(), 0775);
        const StateDir state = opened(root);
        CHECK(mode_of(root) == 0700);
        CHECK(mode_of(root / "archive") == 0700);
        REQUIRE(state.repairs().size() == 2);
        CHECK(contains(state.repairs()[0], "0777"));
        CHECK(contains(state.repairs()[0], "0700"));

        // 0750 (a group may read live/) is the operator's choice and stays.
        ::chmod(root.c_str(), 0750);
        CHECK(opened(root).repairs().empty());
        CHECK(mode_of(root) == 0750);
    }

    TEST_CASE("a state folder of another user is refused") {
        if (::geteuid() != 0) {
            MESSAGE("needs root to chown; skipped");
            return;
        }
        const TempDir scratch;
        const fs::path root = scratch.path() / "state";
        fs::create_directories(root / "live");
        ::chmod(root.c_str(), 0777);
        REQUIRE(::chown(root.c_str(), k_other_uid, k_other_uid) == 0);
        const Result<StateDir> state = StateDir::open(root);
        REQUIRE_FALSE(state.ok());
        CHECK(contains(state.error().message, "belongs to uid 65534"));
        CHECK(mode_of(root) == 0777); // not repaired either: it is not ours

        REQUIRE(::chown(root.c_str(), 0, 0) == 0);
        REQUIRE(::chown((root / "live").c_str(), k_other_uid, k_other_uid) == 0);
        const Result<StateDir> sub = StateDir::open(root);
        REQUIRE_FALSE(sub.ok());
        CHECK(contains(sub.error().message, "live"));
    }

    TEST_CASE("state files: regular files only, never through a link, size-capped") {
        const TempDir scratch;
        const StateDir state = opened(scratch.path());
        REQUIRE(state.install("web", files("v1")).ok());
        const fs::path version = scratch.path() / "archive" / "web" / "1";

        fs::remove(version / "info.txt");
        fs::create_symlink("/dev/zero", version / "info.txt");
        const auto linked = state.current_info("web");
        REQUIRE_FALSE(linked.ok());
        CHECK(contains(linked.error().message, "info.txt"));
        CHECK(contains(linked.error().message, "symbolic link"));

        fs::remove(version / "info.txt");
        REQUIRE(::mkfifo((version / "info.txt").c_str(), 0600) == 0);
        const auto start = std::chrono::steady_clock::now();
        const auto fifo = state.current_info("web");
        REQUIRE_FALSE(fifo.ok());
        CHECK(contains(fifo.error().message, "FIFO"));
        CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));

        fs::remove(version / "info.txt");
        std::ofstream(version / "info.txt") << std::string(k_max_state_file_bytes + 1, 'x');
        const auto big = state.current_info("web");
        REQUIRE_FALSE(big.ok());
        CHECK(contains(big.error().message, "info.txt"));
        CHECK(contains(big.error().message, std::to_string(k_max_state_file_bytes)));

        // live/<name> pointing anywhere but ../archive/<name>/<n> is not read through.
        fs::remove(scratch.path() / "live" / "web");
        fs::create_directory_symlink("/etc", scratch.path() / "live" / "web");
        CHECK_FALSE(state.current_certificate("web").ok());
    }

    TEST_CASE("profile and secret files: links followed, but only to a bounded regular file") {
        const TempDir scratch;
        const fs::path secret = scratch.write("secret", "s3cret\n");
        fs::create_symlink(secret, scratch.path() / "linked");
        const auto linked = config::read_small_file(scratch.path() / "linked", 64);
        REQUIRE(linked.ok());
        CHECK(*linked == "s3cret\n");

        const fs::path fifo = scratch.path() / "fifo";
        REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
        const auto start = std::chrono::steady_clock::now();
        const auto blocked = config::read_small_file(fifo, 64);
        REQUIRE_FALSE(blocked.ok());
        CHECK(blocked.error().kind == ErrorKind::profile);
        CHECK(contains(blocked.error().message, "FIFO"));
        CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));

        const auto device = config::read_small_file("/dev/zero", 64);
        REQUIRE_FALSE(device.ok());
        CHECK(contains(device.error().message, "device"));
        const auto folder = config::read_small_file(scratch.path(), 64);
        REQUIRE_FALSE(folder.ok());
        CHECK(contains(folder.error().message, "folder"));
        const auto big = config::read_small_file(secret, 3);
        REQUIRE_FALSE(big.ok());
        CHECK(contains(big.error().message, "3-byte limit"));
        CHECK_FALSE(contains(big.error().message, "s3cret"));
    }

    TEST_CASE("certificate and account locks never share a file, whatever the name") {
        const TempDir scratch;
        const StateDir state = opened(scratch.path());
        const auto account = state.account_lock("https://ca.test/dir", "");
        const auto named_account = state.certificate_lock("account");
        REQUIRE(account.ok());
        REQUIRE(named_account.ok());
        CHECK(account->path() != named_account->path());
        CHECK(named_account->name == "cert-account.lock");

        // A run holds the account lock while it takes the certificate's: both must be free.
        auto held = FileLock::try_lock(*account);
        REQUIRE(held.ok());
        REQUIRE(held->has_value());
        auto second = FileLock::try_lock(*named_account);
        REQUIRE(second.ok());
        CHECK(second->has_value());
    }

    TEST_CASE("an output inside the state directory is a profile error naming the key") {
        const TempDir scratch;
        const fs::path state = scratch.path() / "state";
        fs::create_directories(state / "live" / "x");
        fs::create_directory_symlink(state, scratch.path() / "via-link");
        const auto profile_with = [&](const fs::path& output) {
            const fs::path file = scratch.write(
                "profile.toml", "[acme]\ndirectory = \"https://ca.test/dir\"\n"
                                "[dns]\nprovider = \"rfc2136\"\n"
                                "[[certificate]]\nname = \"x\"\ndomains = [\"example.com\"]\n"
                                "[[certificate.output]]\nformat = \"der\"\n"
                                "path = \"" +
                                    output.string() + "\"\n");
            auto loaded = config::load_profile_with_env(
                file, [](const std::string&) { return std::optional<std::string>(); });
            REQUIRE_MESSAGE(loaded.ok(), (loaded.ok() ? "" : loaded.error().message));
            return std::move(loaded).value();
        };
        const auto inside = config::check_outputs_outside(
            profile_with(state / "live" / "x" / "privkey.pem"), state);
        REQUIRE_FALSE(inside.ok());
        INFO(inside.error().message);
        CHECK(inside.error().kind == ErrorKind::profile);
        CHECK(contains(without_column(inside.error().message),
                       "profile.toml:10: certificate[1].output[1].path"));
        CHECK(contains(without_column(inside.error().message), "inside the state directory"));

        CHECK_FALSE(config::check_outputs_outside(
                        profile_with(scratch.path() / "via-link" / "new" / "x.der"), state)
                        .ok());
        CHECK(config::check_outputs_outside(profile_with(scratch.path() / "state-other.der"), state)
                  .ok());
    }

    TEST_CASE("certificate names with \".tmp-\" are refused when the profile loads") {
        const TempDir scratch;
        const fs::path file =
            scratch.write("profile.toml", "[acme]\ndirectory = \"https://ca.test/dir\"\n"
                                          "[dns]\nprovider = \"rfc2136\"\n"
                                          "[[certificate]]\nname = \"web.tmp-4000000-x\"\n"
                                          "domains = [\"example.com\"]\n");
        const auto loaded = config::load_profile_with_env(
            file, [](const std::string&) { return std::optional<std::string>(); });
        REQUIRE_FALSE(loaded.ok());
        CHECK(loaded.error().kind == ErrorKind::profile);
        CHECK(contains(without_column(loaded.error().message),
                       "profile.toml:6: certificate[1].name"));
    }

} // TEST_SUITE
