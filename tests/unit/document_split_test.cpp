// Unit tests for the split parse of large profiles (src/config/document_split.hpp): the tree
// from the parts must be the whole parse's, position for position, and every text the split
// cannot vouch for is parsed whole, errors included.
#include <doctest/doctest.h>

#include "config/document.hpp"
#include "config/document_split.hpp"

#include <string>
#include <vector>

namespace {

using wildcert::config::Entry;
using wildcert::config::Node;

void check_same(const Node& split, const Node& whole, const std::string& where) {
    CAPTURE(where);
    REQUIRE(split.kind == whole.kind);
    CHECK(split.position == whole.position);
    CHECK(split.string == whole.string);
    CHECK(split.integer == whole.integer);
    CHECK(split.boolean == whole.boolean);
    REQUIRE(split.array.size() == whole.array.size());
    for (std::size_t i = 0; i < split.array.size(); ++i)
        check_same(split.array[i], whole.array[i], where + "[" + std::to_string(i) + "]");
    REQUIRE(split.table.size() == whole.table.size());
    for (std::size_t i = 0; i < split.table.size(); ++i) {
        const Entry& a = split.table[i];
        const Entry& b = whole.table[i];
        REQUIRE(a.key == b.key);
        CHECK(a.key_position == b.key_position);
        check_same(a.value, b.value, where + "." + a.key);
    }
}

const std::string k_head = "# a fleet\n"
                           "[acme]\n"
                           "directory = \"https://ca.test/dir\"   # the CA\n"
                           "contact = [\"mailto:ops@example.test\"]\n"
                           "\n"
                           "[dns]\n"
                           "provider = \"rfc2136\"\n"
                           "resolvers = [\n"
                           "  \"127.0.0.1:53\",\n"
                           "]\n";

// `count` certificate tables, every fifth with sub-tables, comments and indentation.
std::string fleet(std::size_t count, const std::string& newline = "\n") {
    std::string text;
    for (const char c : k_head) {
        if (c == '\n')
            text += newline;
        else
            text += c;
    }
    for (std::size_t i = 0; i < count; ++i) {
        const std::string n = std::to_string(i);
        text += (i % 7 == 3 ? "  [[certificate]]  # indented" : "[[certificate]]") + newline;
        text += "name = \"c" + n + "\"" + newline;
        text += "domains = [\"*.c" + n + ".example.test\", \"c" + n + ".example.test\"]" + newline;
        if (i % 5 == 0) {
            text += "renew_before = \"30d\"" + newline + newline;
            text += "[certificate.outputs]" + newline + "dir = '/etc/tls/c" + n + "'" + newline;
            text += "[[certificate.deploy]]" + newline + "command = [\"true\", 'c" + n + "']" +
                    newline + "# done" + newline;
        }
    }
    return text;
}

void check_split_equals_whole(const std::string& text, bool expect_split) {
    CHECK(wildcert::config::certificate_split_points(text, 2).empty() == !expect_split);
    CHECK(wildcert::config::certificate_split_points(text, 4).empty() == !expect_split);
    const auto split = wildcert::config::parse_document_text(text, "fleet.toml");
    const auto whole = wildcert::config::parse_document_whole(text, "fleet.toml");
    REQUIRE(split.ok() == whole.ok());
    if (!whole.ok()) {
        CHECK(split.error().message == whole.error().message);
        return;
    }
    check_same(*split, *whole, "root");
}

} // namespace

TEST_SUITE("document_split") {

    TEST_CASE("a large fleet parses to the same tree in parts as whole") {
        for (const std::size_t count :
             {wildcert::config::k_split_minimum_certificates, 257UL, 1000UL, 1001UL}) {
            CAPTURE(count);
            check_split_equals_whole(fleet(count), true);
        }
        check_split_equals_whole(fleet(600, "\r\n"), true);
        // No newline at the end, and tables after the fleet that belong to a certificate.
        std::string text = fleet(400);
        text += "[[certificate]]\nname = \"last\"\ndomains = [\"last.example.test\"]";
        check_split_equals_whole(text, true);
    }

    TEST_CASE("small profiles and texts the split cannot vouch for are parsed whole") {
        check_split_equals_whole(fleet(wildcert::config::k_split_minimum_certificates - 1), false);
        // A top-level table after the certificates: valid TOML, but not a certificate part.
        check_split_equals_whole(fleet(500) + "[deploy]\nparallel = 2\n", false);
        // A multi-line string could hold a line that looks like a header.
        check_split_equals_whole(
            fleet(300) + "[[certificate]]\nname = \"\"\"\n[[certificate]]\n\"\"\"\n", false);
        check_split_equals_whole(fleet(300) + "[[certificate]]\nname = '''\nx\n'''\n", false);
        // A nested array written over lines: a line that starts with '[' is an element.
        check_split_equals_whole(fleet(300) + "[[certificate]]\nd = [\n  [\"a\"],\n]\n", false);
        // Headers written other ways than the split knows: parsed whole, same tree.
        check_split_equals_whole(fleet(300) + "[[ certificate ]]\nname = \"spaced\"\n", false);
        check_split_equals_whole(fleet(300) + "[certificate . outputs]\ndir = \"x\"\n", false);
    }

    TEST_CASE("errors in any part read as the whole parse's") {
        const std::string good = fleet(600);
        // A syntax error near the end (in the last part), one near the start, a duplicate key,
        // a table over the array, and an array header inside an array.
        const std::vector<std::string> broken{
            good + "[[certificate]]\nname = \"x\" oops\n",
            "[acme]\ndirectory = = 1\n" + good,
            good + "[[certificate]]\nname = \"a\"\nname = \"b\"\n",
            good + "[certificate]\nname = \"x\"\n",
            good.substr(0, good.size() / 2) + "domains = [\n[[certificate]]\n" +
                good.substr(good.size() / 2),
            "certificate = []\n" + good,
        };
        for (const auto& text : broken) {
            const auto split = wildcert::config::parse_document_text(text, "fleet.toml");
            const auto whole = wildcert::config::parse_document_whole(text, "fleet.toml");
            REQUIRE_FALSE(whole.ok());
            REQUIRE_FALSE(split.ok());
            CHECK(split.error().message == whole.error().message);
        }
    }
}
