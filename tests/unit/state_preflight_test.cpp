// Unit tests for the state preflight (src/core/state_preflight.hpp): what StateDir::install
// would refuse only after the CA issued is found before anything is sent.
#include <doctest/doctest.h>

#include "temp_dir.hpp"

#include "core/state_preflight.hpp"
#include "store/state_dir.hpp"

#include <filesystem>
#include <string>

namespace {

namespace fs = std::filesystem;
using wildcert::core::check_certificate_state;
using wildcert::test::TempDir;

wildcert::store::CertificateFiles files(const std::string& tag) {
    return {"key " + tag, "cert " + tag, "chain " + tag, "fullchain " + tag, ""};
}

std::string error_of(const wildcert::store::StateDir& state, const std::string& name) {
    const auto checked = check_certificate_state(state, name);
    REQUIRE_FALSE(checked.ok());
    CHECK(checked.error().kind == wildcert::ErrorKind::profile);
    return checked.error().message;
}

} // namespace

TEST_SUITE("state_preflight") {

    TEST_CASE("a fresh state and one install() made pass") {
        const TempDir dir;
        const auto state = wildcert::store::StateDir::open(dir.path() / "state");
        REQUIRE(state.ok());
        CHECK(check_certificate_state(*state, "web").ok());
        REQUIRE(state->install("web", files("v1")).ok());
        REQUIRE(state->install("web", files("v2")).ok());
        CHECK(check_certificate_state(*state, "web").ok());
        // A version folder removed by hand: the next issuance replaces the symlink.
        fs::remove_all(dir.path() / "state/archive/web/2");
        CHECK(check_certificate_state(*state, "web").ok());
    }

    TEST_CASE("a file where archive/<name> or a version belongs is refused") {
        const TempDir dir;
        const auto state = wildcert::store::StateDir::open(dir.path() / "state");
        REQUIRE(state.ok());
        dir.write("state/archive/web", "not a folder");
        const std::string archive = (dir.path() / "state/archive/web").string();
        CHECK(error_of(*state, "web") ==
              "state: " + archive +
                  " is a file where wildcert keeps a folder of its own; move it away");
        CHECK(check_certificate_state(*state, "other").ok());

        dir.write("state/archive/api/1", "a file, not a version folder");
        fs::create_directories(dir.path() / "state/live");
        fs::create_symlink("../archive/api/1", dir.path() / "state/live/api");
        CHECK(error_of(*state, "api").find("archive/api/1 is a file, not a version folder") !=
              std::string::npos);

        dir.write("state/live2", "");
        fs::remove_all(dir.path() / "state/live");
        fs::rename(dir.path() / "state/live2", dir.path() / "state/live");
        CHECK(error_of(*state, "other").find("/state/live is a file where") != std::string::npos);
    }

    TEST_CASE("live/<name> must be wildcert's own symlink into archive/<name>") {
        const TempDir dir;
        const auto state = wildcert::store::StateDir::open(dir.path() / "state");
        REQUIRE(state.ok());
        fs::create_directories(dir.path() / "state/live");
        fs::create_directories(dir.path() / "state/archive/web/1");
        const fs::path live = dir.path() / "state/live/web";
        for (const std::string target :
             {"/etc", "../../outside", "../archive/other/1", "../archive/web/../../x/1",
              "../archive/web/latest", "../archive/web/01", "../archive/web"}) {
            CAPTURE(target);
            fs::remove(live);
            fs::create_symlink(target, live);
            CHECK(error_of(*state, "web") ==
                  "state: " + live.string() + " points at " + target +
                      ", outside archive/web (expected ../archive/web/<version>); remove the "
                      "symlink or point it at a version");
        }
        fs::remove(live);
        fs::create_directories(live);
        CHECK(
            error_of(*state, "web").find(" is a folder, not wildcert's symlink into archive/web") !=
            std::string::npos);
        fs::remove(live);
        fs::create_symlink("../archive/web/1", live);
        CHECK(check_certificate_state(*state, "web").ok());
    }
}
