// Unit tests for the fast paths of a renewal's reading pass: parallel_for
// (common/parallel_for.hpp), Folder::list, StateDir::for_reading and version_file
// (store/state_dir.hpp), and read_regular_file's one-read ending (common/regular_file.hpp).
#include <doctest/doctest.h>

#include "temp_dir.hpp"

#include "common/parallel_for.hpp"
#include "common/regular_file.hpp"
#include "store/folder.hpp"
#include "store/state_dir.hpp"

#include <algorithm>
#include <atomic>
#include <fcntl.h>
#include <filesystem>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

namespace fs = std::filesystem;
using wildcert::test::TempDir;

wildcert::store::CertificateFiles files(const std::string& tag) {
    return {"key " + tag, "cert " + tag, "chain " + tag, "fullchain " + tag, "info " + tag};
}

} // namespace

TEST_SUITE("state_reading") {

    TEST_CASE("parallel_for calls every index once, on as many threads as asked") {
        for (const std::size_t count : {0UL, 1UL, 2UL, 3UL, 64UL, 1000UL, 1001UL}) {
            for (const std::size_t threads : {1UL, 3UL}) {
                CAPTURE(count);
                CAPTURE(threads);
                std::vector<std::atomic<int>> calls(count);
                std::mutex mutex;
                std::set<std::thread::id> seen;
                wildcert::parallel_for(count, threads, [&](std::size_t i) {
                    calls[i].fetch_add(1);
                    const std::lock_guard lock(mutex);
                    seen.insert(std::this_thread::get_id());
                });
                CHECK(
                    std::all_of(calls.begin(), calls.end(), [](const auto& n) { return n == 1; }));
                CHECK(seen.size() == std::min(count, threads));
            }
        }
        CHECK(wildcert::reading_threads(wildcert::k_parallel_minimum - 1) == 1);
        CHECK(wildcert::reading_threads(1000) >= 1);
        CHECK(wildcert::reading_threads(1000) <= 4);
    }

    TEST_CASE("Folder::list gives each entry once with what it is") {
        const TempDir dir;
        dir.write("top/a-file", "x");
        fs::create_directories(dir.path() / "top/a-folder");
        fs::create_symlink("a-folder", dir.path() / "top/a-link");
        for (int i = 0; i < 2000; ++i) // more than one getdents64 buffer of names
            dir.write("top/many/entry-with-a-long-name-" + std::to_string(i), "");
        const auto top = wildcert::store::Folder::open_root(dir.path() / "top");
        REQUIRE(top.ok());
        const auto entries = top->list();
        REQUIRE(entries.ok());
        std::set<std::pair<std::string, wildcert::store::Folder::EntryType>> seen;
        for (const auto& entry : *entries)
            seen.insert({entry.name, entry.type});
        using Type = wildcert::store::Folder::EntryType;
        // tmpfs and ext4 say what an entry is; a file system that does not says unknown.
        const auto is = [&](const std::string& name, Type type) {
            return seen.count({name, type}) == 1 || seen.count({name, Type::unknown}) == 1;
        };
        CHECK(entries->size() == 4);
        CHECK(is("a-file", Type::other));
        CHECK(is("a-folder", Type::folder));
        CHECK(is("a-link", Type::other)); // a link to a folder is not a folder here
        CHECK(is("many", Type::folder));
        const auto many = top->sub("many", wildcert::store::Create::no);
        REQUIRE(many.ok());
        const auto names = many->names();
        REQUIRE(names.ok());
        CHECK(std::set<std::string>(names->begin(), names->end()).size() == 2000);
    }

    TEST_CASE("for_reading holds live/, archive/ and status/ as they were") {
        const TempDir dir;
        const auto state = wildcert::store::StateDir::open(dir.path() / "state");
        REQUIRE(state.ok());
        const auto before = state->for_reading();
        REQUIRE(before.ok());
        REQUIRE(state->install("web", files("v1")).ok());
        REQUIRE(state->save_status("web", "status v1").ok());
        // Made before live/ existed: it still sees none (it is for one pass of reads).
        CHECK(before->current_version("web").value() == std::nullopt);
        CHECK(before->load_status("web").value() == std::nullopt);

        const auto held = state->for_reading();
        REQUIRE(held.ok());
        CHECK(held->current_version("web").value() == 1UL);
        CHECK(held->version_file("web", 1, "info.txt").value() == "info v1");
        CHECK(held->load_status("web").value() == "status v1");
        REQUIRE(state->install("web", files("v2")).ok());
        // The folders are held, not the files: a new version is seen.
        CHECK(held->current_version("web").value() == 2UL);
        CHECK(held->version_file("web", 2, "info.txt").value() == "info v2");
        CHECK(held->version_file("web", 1, "info.txt").value() == "info v1");
        CHECK(held->version_file("web", 3, "info.txt").value() == std::nullopt);
        CHECK_FALSE(held->version_file("../web", 1, "info.txt").ok());

        // A swapped top folder does not redirect the held one (descriptors, not paths).
        fs::rename(dir.path() / "state/live", dir.path() / "state/live.moved");
        fs::create_directories(dir.path() / "elsewhere");
        fs::create_symlink(dir.path() / "elsewhere", dir.path() / "state/live");
        CHECK(held->current_version("web").value() == 2UL);
        CHECK_FALSE(state->for_reading().ok());
    }

    TEST_CASE("read_regular_file reads a file whole, however it was sized") {
        const TempDir dir;
        for (const std::size_t size : {0UL, 1UL, 4095UL, 4096UL, 4097UL, 65536UL}) {
            CAPTURE(size);
            const std::string content(size, 'a');
            dir.write("file", content);
            const auto read = wildcert::read_regular_file(AT_FDCWD, dir.path() / "file", 100000,
                                                          wildcert::Symlinks::refuse);
            REQUIRE(read.ok());
            CHECK(read->value() == content);
        }
        // The limit still holds when the size is exactly it, and one byte past.
        dir.write("file", std::string(100, 'b'));
        CHECK(wildcert::read_regular_file(AT_FDCWD, dir.path() / "file", 100,
                                          wildcert::Symlinks::refuse)
                  .ok());
        dir.write("file", std::string(101, 'b'));
        CHECK_FALSE(wildcert::read_regular_file(AT_FDCWD, dir.path() / "file", 100,
                                                wildcert::Symlinks::refuse)
                        .ok());
        // A file the kernel sizes as 0 is read until its end.
        const auto proc = wildcert::read_regular_file(AT_FDCWD, "/proc/self/status", 100000,
                                                      wildcert::Symlinks::follow);
        REQUIRE(proc.ok());
        CHECK(proc->value().find("Name:") == 0);
    }
}
