// Unit tests for the parts of `wildcert check` that need no server: Punycode (RFC 3492), the
// Public Suffix List rules, RFC 1982 serial order and the state directory's write probe.
#include <doctest/doctest.h>

#include "temp_dir.hpp"

#include "core/preflight_checks.hpp"
#include "core/public_suffix.hpp"
#include "core/punycode.hpp"
#include "store/folder.hpp"
#include "store/write_probe.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

using namespace wildcert;
using core::PublicSuffixList;
using core::SuffixKind;

TEST_SUITE("punycode") {
    TEST_CASE("ASCII labels stay as they are") {
        CHECK(core::ascii_label("co").value() == "co");
        CHECK(core::ascii_label("xn--55qx5d").value() == "xn--55qx5d");
        CHECK(core::ascii_label("").value().empty());
    }
    TEST_CASE("Unicode labels get their xn-- form (values from Python's idna codec)") {
        CHECK(core::ascii_label("公司").value() == "xn--55qx5d");
        CHECK(core::ascii_label("网络").value() == "xn--io0a7i");
        CHECK(core::ascii_label("個人").value() == "xn--gmqw5a");
        CHECK(core::ascii_label("bücher").value() == "xn--bcher-kva");
        CHECK(core::ascii_label("ñ").value() == "xn--ida");
        CHECK(core::ascii_label("ελ").value() == "xn--qxam");
        // RFC 3492 §7.1 (L), Czech: basic code points keep their case.
        CHECK(core::ascii_label("Pročprostěnemluvíčesky").value() ==
              "xn--Proprostnemluvesky-uyb24dma41a");
    }
    TEST_CASE("malformed UTF-8 is refused") {
        CHECK_FALSE(core::ascii_label("\xC3").has_value());         // cut short
        CHECK_FALSE(core::ascii_label("\xC0\xAF").has_value());     // overlong "/"
        CHECK_FALSE(core::ascii_label("\xED\xA0\x80").has_value()); // a surrogate
        CHECK_FALSE(core::ascii_label("\xFF").has_value());
    }
}

namespace {

// The list's format in small: both sections, a wildcard with an exception, a Unicode rule,
// comments, blank lines and text after a rule.
const char* const k_list = R"(// This Source Code Form is subject to the terms of the MPL.
// ===BEGIN ICANN DOMAINS===
uk
co.uk
*.ck
!www.ck
公司.cn
  // an indented comment
jp trailing words are ignored

// ===END ICANN DOMAINS===
// ===BEGIN PRIVATE DOMAINS===
github.io
*.compute.example
// ===END PRIVATE DOMAINS===
)";

} // namespace

TEST_SUITE("public suffix list") {
    TEST_CASE("rules of both sections, wildcards and exceptions") {
        const auto list = PublicSuffixList::parse(k_list);
        CHECK(list.rules() == 8);
        CHECK(list.classify("co.uk.") == SuffixKind::icann);
        CHECK(list.classify("CO.UK") == SuffixKind::icann);
        CHECK(list.classify("example.co.uk.") == SuffixKind::none);
        CHECK(list.classify("anything.ck.") == SuffixKind::icann);
        CHECK(list.classify("www.ck.") == SuffixKind::none);
        CHECK(list.classify("a.anything.ck.") == SuffixKind::none);
        CHECK(list.classify("xn--55qx5d.cn.") == SuffixKind::icann);
        CHECK(list.classify("github.io.") == SuffixKind::private_domain);
        CHECK(list.classify("me.github.io.") == SuffixKind::none);
        CHECK(list.classify("eu-1.compute.example.") == SuffixKind::private_domain);
    }
    TEST_CASE("one label is a top-level domain and the root is the root, listed or not") {
        const auto list = PublicSuffixList::parse(k_list);
        CHECK(list.classify("uk.") == SuffixKind::top_level);
        CHECK(list.classify("test.") == SuffixKind::top_level);
        CHECK(list.classify("test") == SuffixKind::top_level);
        CHECK(list.classify(".") == SuffixKind::root);
        CHECK(list.classify("") == SuffixKind::root);
        // Without any list: the same for one label, nothing deeper is known.
        const PublicSuffixList none;
        CHECK(none.classify("test.") == SuffixKind::top_level);
        CHECK(none.classify("co.uk.") == SuffixKind::none);
    }
    TEST_CASE("the system's list (scripts/install-deps.sh installs it) is read") {
        const auto& system = core::system_public_suffixes();
        REQUIRE(system.ok());
        REQUIRE_MESSAGE(system->has_value(), core::public_suffix_list_path(),
                        " is missing: run scripts/install-deps.sh (package publicsuffix)");
        const auto& list = **system;
        CHECK(list.rules() > 5000);
        CHECK(list.classify("co.uk.") == SuffixKind::icann);
        CHECK(list.classify("github.io.") == SuffixKind::private_domain);
        CHECK(list.classify("example.com.") == SuffixKind::none);
        CHECK(core::classify_zone("com.") == SuffixKind::top_level);
    }
}

TEST_CASE("RFC 1982 serial order wraps around") {
    CHECK(core::later_serial(2, 1));
    CHECK_FALSE(core::later_serial(1, 2));
    CHECK_FALSE(core::later_serial(7, 7));
    CHECK(core::later_serial(1, 4294967295u)); // 0xFFFFFFFF + 2 wraps to 1
    CHECK_FALSE(core::later_serial(4294967295u, 1));
    CHECK(core::later_serial(2147483647u, 0));
    // Exactly 2^31 apart: undefined, so neither is later.
    CHECK_FALSE(core::later_serial(2147483648u, 0));
    CHECK_FALSE(core::later_serial(0, 2147483648u));
}

TEST_SUITE("write probe") {
    TEST_CASE("a writable folder passes and keeps no file") {
        const test::TempDir dir;
        const auto folder = store::Folder::open_plain(dir.path());
        REQUIRE(folder.ok());
        CHECK(store::probe_folder_write(*folder) == 0);
        CHECK(std::filesystem::is_empty(dir.path()));
    }
    TEST_CASE("a file is probed for appending without a change; a missing one passes") {
        const test::TempDir dir;
        const auto file = dir.write("audit.log", "line\n");
        const auto before = std::filesystem::last_write_time(file);
        const auto folder = store::Folder::open_plain(dir.path());
        REQUIRE(folder.ok());
        CHECK(store::probe_file_write(*folder, "audit.log") == 0);
        CHECK(store::probe_file_write(*folder, "missing.log") == 0);
        std::ifstream in(file);
        std::stringstream content;
        content << in.rdbuf();
        CHECK(content.str() == "line\n");
        CHECK(std::filesystem::last_write_time(file) == before);
        CHECK_FALSE(std::filesystem::exists(dir.path() / "missing.log"));
    }
}
