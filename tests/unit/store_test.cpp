// Unit tests for store: atomic files, the state directory and the cleanup journal. Every test
// works in its own folder under the system temporary directory.
#include "store/account_file.hpp"
#include "store/atomic_file.hpp"
#include "store/certificate_name.hpp"
#include "store/file_lock.hpp"
#include "store/folder.hpp"
#include "store/journal.hpp"
#include "store/journal_format.hpp"
#include "store/stable_id.hpp"
#include "store/stale_files.hpp"
#include "store/state_dir.hpp"

#include <doctest/doctest.h>

#include "temp_dir.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;
using namespace wildcert;
using namespace wildcert::store;

namespace {

using wildcert::test::TempDir;

// Sets the process umask for one scope.
class UmaskGuard {
public:
    explicit UmaskGuard(mode_t mask) : m_old(::umask(mask)) {}
    ~UmaskGuard() { ::umask(m_old); }
    UmaskGuard(const UmaskGuard&) = delete;
    UmaskGuard& operator=(const UmaskGuard&) = delete;

private:
    mode_t m_old;
};

mode_t mode_of(const fs::path& path) {
    struct stat info {};
    REQUIRE(::lstat(path.c_str(), &info) == 0);
    return info.st_mode & 07777;
}

std::string slurp(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void spit(const fs::path& path, const std::string& content) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
}

// The one file in `dir` whose name ends with `extension` ("" when there is none or several).
fs::path only_file_with_extension(const fs::path& dir, const std::string& extension) {
    fs::path found;
    int count = 0;
    for (const auto& entry : fs::directory_iterator(dir)) {
        if (entry.path().extension() == extension) {
            found = entry.path();
            ++count;
        }
    }
    return count == 1 ? found : fs::path();
}

std::vector<std::string> names_in(const fs::path& dir) {
    std::vector<std::string> names;
    for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
        names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
}

constexpr fs::perms k_0600 = fs::perms::owner_read | fs::perms::owner_write;
constexpr fs::perms k_0644 = k_0600 | fs::perms::group_read | fs::perms::others_read;

TxtRecord txt(const std::string& fqdn, const std::string& value, int ttl = 60) {
    return TxtRecord{"example.com.", fqdn, value, std::chrono::seconds(ttl)};
}

// The folder as a state root (folder.hpp), for the parts of the store that work inside one.
Folder root_of(const fs::path& path) {
    Result<Folder> folder = Folder::open_root(path);
    REQUIRE(folder.ok());
    return std::move(folder).value();
}

CertificateFiles cert_files(const std::string& tag) {
    return CertificateFiles{"KEY " + tag, "CERT " + tag, "CHAIN " + tag, "FULLCHAIN " + tag,
                            "domains=" + tag + "\n"};
}

} // namespace

TEST_SUITE("store") {

    TEST_CASE("fnv1a_64 known answers") {
        // Published FNV-1a 64-bit test vectors.
        CHECK(fnv1a_64_hex("") == "cbf29ce484222325");
        CHECK(fnv1a_64_hex("a") == "af63dc4c8601ec8c");
        CHECK(fnv1a_64_hex("foobar") == "85944171f73967e8");
        CHECK(fnv1a_64("a") == 0xaf63dc4c8601ec8cULL);
    }

    TEST_CASE("directory_id is readable, stable and tells URLs apart") {
        const std::string url = "https://acme-v02.api.letsencrypt.org/directory";
        CHECK(directory_id(url) == "acme-v02.api.letsencrypt.org-" + fnv1a_64_hex(url));
        CHECK(directory_id("https://127.0.0.1:14000/dir").rfind("127.0.0.1-", 0) == 0);
        CHECK(directory_id("https://[::1]:14000/dir").rfind("__1-", 0) == 0);
        CHECK(directory_id("https://user@h.test/dir").rfind("h.test-", 0) == 0);
        CHECK(directory_id("not a url").rfind("not_a_url-", 0) == 0);
        CHECK(directory_id("").rfind("ca-", 0) == 0);
        CHECK(directory_id("https://ca.test/a") != directory_id("https://ca.test/b"));
    }

    TEST_CASE("write_file_atomically applies the mode whatever the umask") {
        const TempDir scratch;
        {
            const UmaskGuard mask(0);
            REQUIRE(write_file_atomically(scratch.path() / "key.pem", "secret", k_0600).ok());
        }
        CHECK(mode_of(scratch.path() / "key.pem") == 0600);
        {
            const UmaskGuard mask(077);
            REQUIRE(write_file_atomically(scratch.path() / "cert.pem", "public", k_0644).ok());
        }
        CHECK(mode_of(scratch.path() / "cert.pem") == 0644);
        CHECK(slurp(scratch.path() / "key.pem") == "secret");
    }

    TEST_CASE("write_new_file creates only, with the exact mode, and never through a link") {
        const TempDir scratch;
        const auto dir = Folder::open_root(scratch.path());
        REQUIRE(dir.ok());
        {
            const UmaskGuard mask(077);
            REQUIRE(wildcert::store::write_new_file(*dir, "cert.pem", "public", k_0644).ok());
        }
        CHECK(mode_of(scratch.path() / "cert.pem") == 0644);
        CHECK(slurp(scratch.path() / "cert.pem") == "public");
        // An existing file is not overwritten, and a planted link is not followed.
        CHECK_FALSE(wildcert::store::write_new_file(*dir, "cert.pem", "other", k_0644).ok());
        CHECK(slurp(scratch.path() / "cert.pem") == "public");
        fs::create_symlink(scratch.path() / "target", scratch.path() / "link.pem");
        CHECK_FALSE(wildcert::store::write_new_file(*dir, "link.pem", "secret", k_0600).ok());
        CHECK_FALSE(fs::exists(scratch.path() / "target"));
    }

    TEST_CASE("write_file_atomically replaces content and leaves no temporary file") {
        const TempDir scratch;
        const fs::path file = scratch.path() / "data.txt";
        REQUIRE(write_file_atomically(file, "first, longer content", k_0600).ok());
        REQUIRE(write_file_atomically(file, "second", k_0644).ok());
        CHECK(slurp(file) == "second");
        CHECK(mode_of(file) == 0644);
        REQUIRE(write_file_atomically(file, "", k_0600).ok());
        CHECK(slurp(file).empty());
        CHECK(names_in(scratch.path()) == std::vector<std::string>{"data.txt"});
    }

    TEST_CASE("write_file_atomically fails cleanly") {
        const TempDir scratch;
        SUBCASE("missing folder") {
            const fs::path file = scratch.path() / "missing" / "data.txt";
            const Result<void> result = write_file_atomically(file, "x", k_0600);
            REQUIRE_FALSE(result.ok());
            CHECK(result.error().kind == ErrorKind::io);
            CHECK(result.error().message.find(file.string()) != std::string::npos);
            CHECK(names_in(scratch.path()).empty());
        }
        SUBCASE("a folder where the file should go: the temporary file is removed") {
            fs::create_directory(scratch.path() / "taken");
            const Result<void> result =
                write_file_atomically(scratch.path() / "taken", "x", k_0600);
            REQUIRE_FALSE(result.ok());
            CHECK(result.error().kind == ErrorKind::io);
            CHECK(result.error().message.find("taken") != std::string::npos);
            CHECK(names_in(scratch.path()) == std::vector<std::string>{"taken"});
        }
    }

    TEST_CASE("read_file and read_file_if_exists") {
        const TempDir scratch;
        const Folder dir = root_of(scratch.path());
        std::string big(200000, 'z');
        big[123456] = '\0';
        spit(scratch.path() / "f", big);
        const Result<std::string> read = read_file(dir, "f");
        REQUIRE(read.ok());
        CHECK(*read == big);

        const Result<std::string> missing = read_file(dir, "nope");
        REQUIRE_FALSE(missing.ok());
        CHECK(missing.error().kind == ErrorKind::io);
        CHECK(missing.error().message.find("nope") != std::string::npos);

        const auto maybe = read_file_if_exists(dir, "nope");
        REQUIRE(maybe.ok());
        CHECK_FALSE(maybe->has_value());
    }

    TEST_CASE("create_private_dirs makes 0700 folders and keeps existing modes") {
        const TempDir scratch;
        ::chmod(scratch.path().c_str(), 0755);
        {
            const UmaskGuard mask(0);
            REQUIRE(create_private_dirs(scratch.path() / "a" / "b" / "c").ok());
        }
        CHECK(mode_of(scratch.path()) == 0755);
        CHECK(mode_of(scratch.path() / "a") == 0700);
        CHECK(mode_of(scratch.path() / "a" / "b" / "c") == 0700);
        REQUIRE(create_private_dirs(scratch.path() / "a" / "b" / "c").ok()); // idempotent

        spit(scratch.path() / "file", "x");
        const Result<void> blocked = create_private_dirs(scratch.path() / "file" / "sub");
        REQUIRE_FALSE(blocked.ok());
        CHECK(blocked.error().message.find("file") != std::string::npos);
    }

    TEST_CASE("certificate names must be one safe path component") {
        CHECK(check_certificate_name("example").ok());
        CHECK(check_certificate_name("example.com_wild-1").ok());
        CHECK_FALSE(check_certificate_name("").ok());
        CHECK_FALSE(check_certificate_name(".").ok());
        CHECK_FALSE(check_certificate_name("..").ok());
        CHECK_FALSE(check_certificate_name(".hidden").ok());
        CHECK_FALSE(check_certificate_name("a/b").ok());
        CHECK_FALSE(check_certificate_name("a\nb").ok());
        CHECK_FALSE(check_certificate_name(std::string(201, 'a')).ok());
        CHECK(check_certificate_name("../x").error().kind == ErrorKind::usage);
        // ".tmp-" marks wildcert's temporary names, which the stale-file sweep removes.
        CHECK_FALSE(check_certificate_name("web.tmp-4000000-x").ok());
        CHECK(check_certificate_name("web.tmp").ok());
    }

    TEST_CASE("account info file format") {
        const auto text =
            format_account_info({"https://ca.test/dir", "https://ca.test/acct/1", {}});
        REQUIRE(text.ok());
        const AccountInfo info = parse_account_info(*text);
        CHECK(info.directory_url == "https://ca.test/dir");
        CHECK(info.account_url == "https://ca.test/acct/1");

        CHECK_FALSE(format_account_info({"https://ca.test/dir", "https://x\nurl=evil", {}}).ok());
        const AccountInfo lenient =
            parse_account_info("junk\r\n\nother=1\r\nurl=https://a/b?x=1=2\r\ndirectory=d");
        CHECK(lenient.account_url == "https://a/b?x=1=2");
        CHECK(lenient.directory_url == "d");
        CHECK(parse_account_info("").account_url.empty());
    }

    TEST_CASE("state dir: private modes and account round trip per directory") {
        const TempDir scratch;
        const fs::path root = scratch.path() / "state";
        const UmaskGuard mask(0);
        const Result<StateDir> state = StateDir::open(root);
        REQUIRE(state.ok());
        CHECK(state->root() == root);
        CHECK(mode_of(root) == 0700);

        const std::string ca1 = "https://ca-one.test/directory";
        const std::string ca2 = "https://ca-two.test:14000/dir";
        const auto none = state->load_account(ca1);
        REQUIRE(none.ok());
        CHECK_FALSE(none->has_value());

        REQUIRE(state->save_account(ca1, StoredAccount{"KEY-ONE", ""}).ok());
        REQUIRE(
            state->save_account(ca2, StoredAccount{"KEY-TWO", "https://ca-two.test/acct/7"}).ok());

        const auto one = state->load_account(ca1);
        REQUIRE(one.ok());
        REQUIRE(one->has_value());
        CHECK((*one)->key_pem == "KEY-ONE");
        CHECK((*one)->url.empty());
        const auto two = state->load_account(ca2);
        REQUIRE(two.ok());
        REQUIRE(two->has_value());
        CHECK((*two)->key_pem == "KEY-TWO");
        CHECK((*two)->url == "https://ca-two.test/acct/7");

        // The URL arrives after registration: saving again updates it in place.
        REQUIRE(
            state->save_account(ca1, StoredAccount{"KEY-ONE", "https://ca-one.test/acct/1"}).ok());
        CHECK((*state->load_account(ca1))->url == "https://ca-one.test/acct/1");

        const fs::path dir1 = root / "accounts" / directory_id(ca1);
        CHECK(mode_of(root / "accounts") == 0700);
        CHECK(mode_of(dir1) == 0700);
        CHECK(mode_of(dir1 / "account.key") == 0600);
        CHECK(mode_of(dir1 / "account.txt") == 0600);
        CHECK(names_in(dir1) == std::vector<std::string>{"account.key", "account.txt"});

        // A folder whose recorded directory differs is refused, not used for another CA.
        spit(dir1 / "account.txt", "directory=https://elsewhere.test/dir\nurl=u\n");
        const auto mismatch = state->load_account(ca1);
        REQUIRE_FALSE(mismatch.ok());
        CHECK(mismatch.error().message.find("elsewhere.test") != std::string::npos);
        CHECK(mismatch.error().message.find("KEY-ONE") == std::string::npos);
    }

    TEST_CASE("install writes versions and swaps live/<name>") {
        const TempDir scratch;
        const Result<StateDir> state = StateDir::open(scratch.path() / "state");
        REQUIRE(state.ok());
        const fs::path root = state->root();

        const auto before = state->current_private_key("web");
        REQUIRE(before.ok());
        CHECK_FALSE(before->has_value());

        const Result<fs::path> first = state->install("web", cert_files("v1"));
        REQUIRE(first.ok());
        CHECK(*first == state->live_dir("web"));
        CHECK(fs::read_symlink(root / "live" / "web") == fs::path("../archive/web/1"));
        CHECK(slurp(root / "live" / "web" / "cert.pem") == "CERT v1");

        const Result<fs::path> second = state->install("web", cert_files("v2"));
        REQUIRE(second.ok());
        const fs::path live = state->live_dir("web");
        CHECK(live == root / "live" / "web");
        CHECK(fs::is_symlink(live));
        CHECK(fs::read_symlink(live) == fs::path("../archive/web/2"));
        CHECK(slurp(live / "privkey.pem") == "KEY v2");
        CHECK(slurp(live / "cert.pem") == "CERT v2");
        CHECK(slurp(live / "chain.pem") == "CHAIN v2");
        CHECK(slurp(live / "fullchain.pem") == "FULLCHAIN v2");

        const fs::path v1 = root / "archive" / "web" / "1";
        CHECK(names_in(v1) == std::vector<std::string>{"cert.pem", "chain.pem", "fullchain.pem",
                                                       "info.txt", "privkey.pem"});
        CHECK(slurp(v1 / "privkey.pem") == "KEY v1");
        CHECK(names_in(root / "archive" / "web") == std::vector<std::string>{"1", "2"});
        CHECK(names_in(root / "live") == std::vector<std::string>{"web"});

        const fs::path v2 = root / "archive" / "web" / "2";
        CHECK(mode_of(v2) == 0700);
        CHECK(mode_of(v2 / "privkey.pem") == 0600);
        CHECK(mode_of(v2 / "fullchain.pem") == 0644);
        CHECK(mode_of(root / "archive") == 0700);
        CHECK(mode_of(root / "live") == 0700);

        const auto key = state->current_private_key("web");
        REQUIRE(key.ok());
        REQUIRE(key->has_value());
        CHECK(**key == "KEY v2");

        // Numbering continues after the highest version, even with gaps and foreign entries.
        fs::create_directory(root / "archive" / "web" / "7");
        fs::create_directory(root / "archive" / "web" / "notes");
        REQUIRE(state->install("web", cert_files("v8")).ok());
        CHECK(fs::read_symlink(live) == fs::path("../archive/web/8"));
    }

    TEST_CASE("install refuses a real folder at live/<name> and bad names") {
        const TempDir scratch;
        const Result<StateDir> state = StateDir::open(scratch.path());
        REQUIRE(state.ok());
        const fs::path live = state->live_dir("manual");
        fs::create_directories(live);
        spit(live / "cert.pem", "hand made");

        const Result<fs::path> result = state->install("manual", cert_files("x"));
        REQUIRE_FALSE(result.ok());
        CHECK(result.error().kind == ErrorKind::io);
        CHECK(result.error().message.find("not a symlink") != std::string::npos);
        CHECK(slurp(live / "cert.pem") == "hand made");
        CHECK_FALSE(fs::exists(scratch.path() / "archive" / "manual" / "1"));

        CHECK_FALSE(state->install("../escape", cert_files("x")).ok());
        CHECK_FALSE(state->current_private_key("a/b").ok());
        CHECK_FALSE(fs::exists(scratch.path() / "escape"));
    }

    TEST_CASE("journal line format") {
        const auto line = format_journal_line(txt("_acme-challenge.example.com.", "v1", 120));
        REQUIRE(line.ok());
        CHECK(*line == "example.com.\t_acme-challenge.example.com.\tv1\t120\n");
        CHECK_FALSE(format_journal_line(txt("a\tb.", "v")).ok());
        CHECK_FALSE(format_journal_line(txt("a.", "v\n")).ok());
        CHECK_FALSE(format_journal_line(txt("a.", "v", -1)).ok());

        const std::vector<TxtRecord> parsed = parse_journal("z.\ta.\tv\t60\n"
                                                            "bad line\n"
                                                            "z.\ta.\tv\t60\n"
                                                            "z.\ta.\tv\tsixty\n"
                                                            "z.\ta.\tv\t60\textra\n"
                                                            "z.\tb.\tw\t30\n"
                                                            "z.\tc.\tcut");
        REQUIRE(parsed.size() == 2);
        CHECK(parsed[0] == TxtRecord{"z.", "a.", "v", std::chrono::seconds(60)});
        CHECK(parsed[1] == TxtRecord{"z.", "b.", "w", std::chrono::seconds(30)});
    }

    TEST_CASE("cleanup journal: record, pending, forget") {
        const TempDir scratch;
        const fs::path dir = scratch.path() / "journal";
        Result<CleanupJournal> journal =
            CleanupJournal::open(root_of(scratch.path()), "profile-a|rfc2136");
        REQUIRE(journal.ok());

        const auto empty = journal->pending();
        REQUIRE(empty.ok());
        CHECK(empty->empty());
        CHECK_FALSE(fs::exists(dir)); // nothing written before the first record

        const TxtRecord wildcard = txt("_acme-challenge.example.com.", "wildcard-value");
        const TxtRecord apex = txt("_acme-challenge.example.com.", "apex-value");
        const TxtRecord other = txt("_acme-challenge.www.example.com.", "www-value", 300);
        const std::vector<TxtRecord> batch{wildcard, apex};
        {
            const UmaskGuard mask(0);
            REQUIRE(journal->record(batch).ok());
        }
        REQUIRE(journal->record(std::vector<TxtRecord>{other, wildcard}).ok());

        const fs::path run_dir = dir / fnv1a_64_hex("profile-a|rfc2136");
        const fs::path file = only_file_with_extension(run_dir, ".txt");
        CHECK(fs::exists(file));
        CHECK(mode_of(dir) == 0700);
        CHECK(mode_of(run_dir) == 0700);
        CHECK(mode_of(file) == 0600);

        const auto pending = journal->pending();
        REQUIRE(pending.ok());
        CHECK(*pending == std::vector<TxtRecord>{wildcard, apex, other}); // deduplicated, in order

        REQUIRE(journal->forget(std::vector<TxtRecord>{wildcard}).ok());
        CHECK(*journal->pending() == std::vector<TxtRecord>{apex, other});
        CHECK(mode_of(file) == 0600);
        CHECK(names_in(run_dir).size() == 2); // the records and the run's lock; no temporary file

        // Forgetting what is not there changes nothing.
        REQUIRE(journal->forget(std::vector<TxtRecord>{txt("x.", "y")}).ok());
        CHECK(journal->pending()->size() == 2);

        REQUIRE(journal->forget(std::vector<TxtRecord>{apex, other}).ok());
        CHECK_FALSE(fs::exists(file));
        CHECK(journal->pending()->empty());
        CHECK(journal->forget(std::vector<TxtRecord>{apex}).ok());

        CHECK_FALSE(journal->record(std::vector<TxtRecord>{txt("bad\tname.", "v")}).ok());
    }

    TEST_CASE("cleanup journal survives an append cut short by a crash") {
        const TempDir scratch;
        Result<CleanupJournal> journal = CleanupJournal::open(root_of(scratch.path()), "k");
        REQUIRE(journal.ok());
        const TxtRecord first = txt("_acme-challenge.a.test.", "first");
        REQUIRE(journal->record(std::vector<TxtRecord>{first}).ok());

        const fs::path file =
            only_file_with_extension(scratch.path() / "journal" / fnv1a_64_hex("k"), ".txt");
        std::ofstream(file, std::ios::app) << "example.com.\t_acme-challenge.b.test.\thalf";
        CHECK(*journal->pending() == std::vector<TxtRecord>{first});

        // The next append starts on a fresh line, so its record is not glued to the broken one.
        const TxtRecord next = txt("_acme-challenge.c.test.", "next");
        REQUIRE(journal->record(std::vector<TxtRecord>{next}).ok());
        CHECK(*journal->pending() == std::vector<TxtRecord>{first, next});

        REQUIRE(journal->forget(std::vector<TxtRecord>{first}).ok());
        CHECK(slurp(file) == "example.com.\t_acme-challenge.c.test.\tnext\t60\n");
    }

    TEST_CASE("cleanup journals with different keys stay apart") {
        const TempDir scratch;
        const Folder root = root_of(scratch.path());
        Result<CleanupJournal> a = CleanupJournal::open(root, "profile-a|rfc2136");
        Result<CleanupJournal> b = CleanupJournal::open(root, "profile-a|cloudflare");
        REQUIRE(a.ok());
        REQUIRE(b.ok());
        const TxtRecord ra = txt("_acme-challenge.a.test.", "a");
        const TxtRecord rb = txt("_acme-challenge.b.test.", "b");
        REQUIRE(a->record(std::vector<TxtRecord>{ra}).ok());
        REQUIRE(b->record(std::vector<TxtRecord>{rb}).ok());
        CHECK(*a->pending() == std::vector<TxtRecord>{ra});
        CHECK(*b->pending() == std::vector<TxtRecord>{rb});
        REQUIRE(a->forget(std::vector<TxtRecord>{ra}).ok());
        CHECK(a->pending()->empty());
        CHECK(*b->pending() == std::vector<TxtRecord>{rb});

        // While b's run lives, another run with the same key leaves b's records alone; once
        // b is gone (ended or killed: the kernel drops its lock), they are leftovers.
        Result<CleanupJournal> b_again = CleanupJournal::open(root, "profile-a|cloudflare");
        REQUIRE(b_again.ok());
        CHECK(b_again->pending()->empty());
        REQUIRE(b_again->forget(std::vector<TxtRecord>{rb}).ok());
        b = make_error(ErrorKind::io, "run b ended");
        CHECK(*b_again->pending() == std::vector<TxtRecord>{rb});
        REQUIRE(b_again->forget(std::vector<TxtRecord>{rb}).ok());
        CHECK(b_again->pending()->empty());
        CHECK(names_in(scratch.path() / "journal" / fnv1a_64_hex("profile-a|cloudflare")).empty());
    }

    TEST_CASE("cleanup journal: records from before per-run files are leftovers") {
        const TempDir scratch;
        fs::create_directory(scratch.path() / "journal");
        std::ofstream(scratch.path() / "journal" / (fnv1a_64_hex("k") + ".txt"))
            << "example.com.\t_acme-challenge.a.test.\told\t60\n";
        Result<CleanupJournal> journal = CleanupJournal::open(root_of(scratch.path()), "k");
        REQUIRE(journal.ok());
        const TxtRecord old = txt("_acme-challenge.a.test.", "old");
        CHECK(*journal->pending() == std::vector<TxtRecord>{old});
        REQUIRE(journal->forget(std::vector<TxtRecord>{old}).ok());
        CHECK_FALSE(fs::exists(scratch.path() / "journal" / (fnv1a_64_hex("k") + ".txt")));
    }

    TEST_CASE("cleanup journal: withdraw strikes this run's records only") {
        // A refused add is withdrawn: it never reached the server. The same record in an ended
        // run's file may have been added by that run, so it stays a leftover.
        const TempDir scratch;
        const TxtRecord shared = txt("_acme-challenge.a.test.", "shared");
        const TxtRecord mine = txt("_acme-challenge.b.test.", "mine");
        {
            Result<CleanupJournal> ended = CleanupJournal::open(root_of(scratch.path()), "k");
            REQUIRE(ended.ok());
            REQUIRE(ended->record(std::vector<TxtRecord>{shared}).ok());
        }
        Result<CleanupJournal> journal = CleanupJournal::open(root_of(scratch.path()), "k");
        REQUIRE(journal.ok());
        REQUIRE(journal->record(std::vector<TxtRecord>{shared, mine}).ok());
        REQUIRE(journal->withdraw(std::vector<TxtRecord>{shared, mine}).ok());
        CHECK(*journal->pending() == std::vector<TxtRecord>{shared});
        REQUIRE(journal->withdraw(std::vector<TxtRecord>{shared}).ok()); // idempotent
        CHECK(*journal->pending() == std::vector<TxtRecord>{shared});
        // forget, after a removal, strikes it everywhere.
        REQUIRE(journal->forget(std::vector<TxtRecord>{shared}).ok());
        CHECK(journal->pending()->empty());
    }

    TEST_CASE("file locks exclude each other and vanish with their holder") {
        const TempDir scratch;
        const fs::path path = scratch.path() / "x.lock";
        const LockFile file{root_of(scratch.path()), "x.lock"};
        auto first = FileLock::try_lock(file);
        REQUIRE(first.ok());
        REQUIRE(first->has_value());
        auto second = FileLock::try_lock(file);
        REQUIRE(second.ok());
        CHECK_FALSE(second->has_value());
        const auto waited = FileLock::wait_lock(file, std::chrono::milliseconds(120), {});
        REQUIRE(waited.ok());
        CHECK_FALSE(waited->has_value());
        *first = std::nullopt;
        auto third = FileLock::try_lock(file);
        REQUIRE(third.ok());
        CHECK(third->has_value());
        CHECK(mode_of(path) == 0600);
    }

    TEST_CASE("temporary names give their writer's pid") {
        CHECK(temporary_owner("cert.pem.tmp-1234-0123456789abcdef") == 1234L);
        CHECK(temporary_owner("demo.tmp-77-ffffffffffffffff") == 77L);
        // Only what random_suffix() makes: 16 lower-case hex digits. A certificate named
        // "web.tmp-4000000-x" (refused by the loader now) is not a temporary of ours.
        CHECK_FALSE(temporary_owner("web.tmp-4000000-x").has_value());
        CHECK_FALSE(temporary_owner("cert.pem.tmp-1234-9f8e7d").has_value());
        CHECK_FALSE(temporary_owner("cert.pem.tmp-1234-0123456789ABCDEF").has_value());
        CHECK_FALSE(temporary_owner("cert.pem.tmp-1234-0123456789abcdef0").has_value());
        CHECK_FALSE(temporary_owner("cert.pem").has_value());
        CHECK_FALSE(temporary_owner("cert.pem.tmp-1234").has_value());  // no random part
        CHECK_FALSE(temporary_owner("cert.pem.tmp-1234-").has_value()); // empty random part
        CHECK_FALSE(temporary_owner("cert.pem.tmp-x-1").has_value());
        CHECK_FALSE(temporary_owner("cert.pem.tmp--1-a").has_value());
        CHECK_FALSE(temporary_owner(".tmp-12-a").has_value()); // no final name
    }

    TEST_CASE("stale temporaries of a gone writer are removed, a live writer's stay") {
        const TempDir scratch;
        // A pid that is surely gone: a child that has exited and been reaped.
        const pid_t child = ::fork();
        REQUIRE(child >= 0);
        if (child == 0)
            ::_exit(0);
        int status = 0;
        REQUIRE(::waitpid(child, &status, 0) == child);
        const std::string gone = std::to_string(child) + "-0123456789abcdef";
        const std::string alive = std::to_string(::getpid()) + "-fedcba9876543210";
        const fs::path root = scratch.path();

        const fs::path version = root / "archive" / "demo" / "3";
        fs::create_directories(version);
        fs::create_directories(root / "live");
        fs::create_directories(root / "status");
        fs::create_directories(root / "accounts" / "ca-1");
        fs::create_directories(root / "journal" / "abc");
        std::ofstream(version / "chain.pem") << "kept";
        // Atomic writes leave "<file>.tmp-<pid>-<hex>" beside the file they replace.
        std::ofstream(root / "accounts" / "ca-1" / ("account.key.tmp-" + gone)) << "half";
        std::ofstream(root / "status" / ("demo.txt.tmp-" + gone)) << "half";
        std::ofstream(root / "journal" / "abc" / ("1-2.txt.tmp-" + gone)) << "half";
        std::ofstream(root / "status" / ("other.txt.tmp-" + alive)) << "in progress";
        // The temporary live/ symlink points at a version folder: removed as a link.
        fs::create_directory_symlink("../archive/demo/3", root / "live" / ("demo.tmp-" + gone));
        // A version being written goes to a staging folder: a killed writer's goes whole.
        const fs::path dead_staging = version.parent_path() / ("version.tmp-" + gone);
        const fs::path live_staging = version.parent_path() / ("version.tmp-" + alive);
        fs::create_directories(dead_staging);
        fs::create_directories(live_staging);
        std::ofstream(dead_staging / "privkey.pem") << "half a version";
        std::ofstream(dead_staging / ("cert.pem.tmp-" + gone)) << "half a file";
        std::ofstream(live_staging / "privkey.pem") << "being written";
        // A killed dry run's scratch state directory goes whole; a live one's stays.
        const std::string gone_pid = std::to_string(child);
        fs::create_directories(root / "dry-run" / ("run-" + gone_pid) / "archive" / "x" / "1");
        std::ofstream(root / "dry-run" / ("run-" + gone_pid) / "archive" / "x" / "1" / "k")
            << "scratch";
        fs::create_directories(root / "dry-run" / ("run-" + std::to_string(::getpid())));
        fs::create_directories(root / "dry-run" / ("run-" + gone_pid + "-mine"));

        // Real data whose names look like temporaries: a certificate "web.tmp-4000000-x"
        // (what the loader accepted before), a folder of someone else's, a file in live/.
        const fs::path odd_archive = root / "archive" / "web.tmp-4000000-x" / "1";
        fs::create_directories(odd_archive);
        std::ofstream(odd_archive / "privkey.pem") << "a real key";
        fs::create_directory_symlink("../archive/web.tmp-4000000-x/1",
                                     root / "live" / "web.tmp-4000000-x");
        fs::create_directories(root / "photos" / ("holiday.tmp-" + gone));
        std::ofstream(root / "live" / ("notes.tmp-" + gone)) << "not a symlink: not ours";
        std::ofstream(version / ("privkey.pem.tmp-" + gone)) << "not where wildcert writes";

        const auto removed = remove_stale_temporaries(root_of(root));
        REQUIRE(removed.ok());
        CHECK(*removed == 6);
        CHECK_FALSE(fs::exists(root / "dry-run" / ("run-" + gone_pid)));
        CHECK(fs::exists(root / "dry-run" / ("run-" + std::to_string(::getpid()))));
        CHECK(fs::exists(root / "dry-run" / ("run-" + gone_pid + "-mine")));
        CHECK_FALSE(fs::exists(dead_staging));
        CHECK_FALSE(fs::exists(root / "accounts" / "ca-1" / ("account.key.tmp-" + gone)));
        CHECK_FALSE(fs::exists(root / "status" / ("demo.txt.tmp-" + gone)));
        CHECK_FALSE(fs::exists(root / "journal" / "abc" / ("1-2.txt.tmp-" + gone)));
        CHECK_FALSE(fs::is_symlink(root / "live" / ("demo.tmp-" + gone)));
        CHECK(fs::exists(live_staging / "privkey.pem"));
        CHECK(fs::exists(root / "status" / ("other.txt.tmp-" + alive)));
        CHECK(fs::exists(version / "chain.pem"));
        CHECK(slurp(odd_archive / "privkey.pem") == "a real key");
        CHECK(fs::is_symlink(root / "live" / "web.tmp-4000000-x"));
        CHECK(fs::is_directory(root / "photos" / ("holiday.tmp-" + gone)));
        CHECK(fs::exists(root / "live" / ("notes.tmp-" + gone)));
        CHECK(fs::exists(version / ("privkey.pem.tmp-" + gone)));

        const TempDir empty;
        const auto none = remove_stale_temporaries(root_of(empty.path()));
        REQUIRE(none.ok());
        CHECK(*none == 0);
    }

} // TEST_SUITE
