// Unit tests for the nesting limits checked before toml11 parses a profile
// (src/config/toml_limits.hpp): deep input is a profile error naming file, line and column,
// never a stack overflow; brackets and dots inside strings and comments do not count.
#include <doctest/doctest.h>

#include "config/document.hpp"
#include "config/toml_limits.hpp"

#include <string>

namespace {

using wildcert::config::check_toml_limits;
using wildcert::config::k_max_toml_depth;
using wildcert::config::k_max_toml_key_parts;
using wildcert::config::parse_document_text;

std::string repeat(const std::string& part, std::size_t times) {
    std::string text;
    text.reserve(part.size() * times);
    for (std::size_t i = 0; i < times; ++i)
        text += part;
    return text;
}

// "a = [[...[1]...]]" with `depth` arrays.
std::string nested_arrays(std::size_t depth) {
    return "a = " + repeat("[", depth) + "1" + repeat("]", depth) + "\n";
}

// "a = {b = {b = ... {b = 1}...}}" with `depth` inline tables.
std::string nested_tables(std::size_t depth) {
    return "a = " + repeat("{b = ", depth) + "1" + repeat("}", depth) + "\n";
}

// "a.a.a... = 1" or "[a.a.a...]" with `parts` parts.
std::string dotted(std::size_t parts) {
    return "a" + repeat(".a", parts - 1);
}

std::string error_of(const std::string& text) {
    const auto checked = check_toml_limits(text, "p.toml");
    REQUIRE_FALSE(checked.ok());
    CHECK(checked.error().kind == wildcert::ErrorKind::profile);
    return checked.error().message;
}

} // namespace

TEST_SUITE("config_limits") {

    TEST_CASE("nesting up to the limits is accepted and parses") {
        for (const auto& text :
             {nested_arrays(k_max_toml_depth), nested_tables(k_max_toml_depth),
              dotted(k_max_toml_key_parts) + " = 1\n", "[" + dotted(k_max_toml_key_parts) + "]\n",
              "[[" + dotted(k_max_toml_key_parts) + "]]\n",
              "t = {" + dotted(k_max_toml_key_parts) + " = 1}\n"}) {
            INFO(text);
            CHECK(check_toml_limits(text, "p.toml").ok());
            CHECK(parse_document_text(text, "p.toml").ok());
        }
    }

    TEST_CASE("one level or part more is an error at the bracket or dot, with file:line:col") {
        CHECK(error_of("x = 1\n" + nested_arrays(k_max_toml_depth + 1)) ==
              "p.toml:2:37: arrays and inline tables nested more than 32 levels deep (the limit "
              "for a profile)");
        // "a = " then 32 times "{b = ": the 33rd '{' is at column 5 + 32 * 5.
        CHECK(error_of(nested_tables(k_max_toml_depth + 1)) ==
              "p.toml:1:165: arrays and inline tables nested more than 32 levels deep (the "
              "limit for a profile)");
        // "a" then ".a" 16 times: the 16th dot is at column 2 + 15 * 2.
        CHECK(error_of(dotted(k_max_toml_key_parts + 1) + " = 1\n") ==
              "p.toml:1:32: a key or table header of more than 16 dotted parts (the limit for a "
              "profile)");
        CHECK(error_of("\n\n[" + dotted(k_max_toml_key_parts + 1) + "]\n")
                  .starts_with("p.toml:3:33: a key or table header of more than 16 dotted parts"));
        CHECK(error_of("[[" + dotted(k_max_toml_key_parts + 1) + "]]\n")
                  .starts_with("p.toml:1:34: a key"));
        CHECK(error_of("t = {x = 1, " + dotted(k_max_toml_key_parts + 1) + " = 2}\n")
                  .starts_with("p.toml:1:44: a key"));
        // Arrays that span lines count across them.
        CHECK(error_of("a = [\n" + repeat("[\n", k_max_toml_depth) + "]")
                  .starts_with("p.toml:33:1: arrays"));
    }

    TEST_CASE("the inputs that crashed toml11 are profile errors") {
        // 8000 nested arrays in 16 KB, 20 000 nested inline tables, a 50 000-part dotted key
        // and table header: each overflowed the parser's stack (SIGSEGV).
        for (const auto& text :
             {nested_arrays(8000), nested_tables(20'000), dotted(50'000) + " = 1\n",
              "[" + dotted(50'000) + "]\n", "a = [" + repeat("{b = [", 10'000)}) {
            const auto parsed = parse_document_text(text, "p.toml");
            REQUIRE_FALSE(parsed.ok());
            CHECK(parsed.error().kind == wildcert::ErrorKind::profile);
            CHECK(parsed.error().message.starts_with("p.toml:1:"));
        }
    }

    TEST_CASE("brackets, braces and dots in strings and comments do not count") {
        const std::string deep = repeat("[{.", 100);
        for (const auto& text : {
                 "a = \"" + deep + "\"\n",                              // basic
                 "a = '" + deep + "'\n",                                // literal
                 "a = \"\"\"\n" + deep + "\n\"\" " + deep + "\"\"\"\n", // multi-line basic
                 "a = '''\n" + deep + "\n'' " + deep + "'''\n",         // multi-line literal
                 "a = \"\\\"" + deep + "\"\n",                          // escaped quote
                 "a = 1 # " + deep + "\n",                              // comment
                 "# " + deep + "\n[t]\n",                               // comment line
                 "\"" + deep + "\" = 1\n",                              // quoted key
                 "['" + deep + "'.b]\n",                                // quoted header part
                 "a = [\"" + deep + "\", # " + deep + "\n'" + deep + "']\n",
                 "a = \"\"\"x\"\"\"\"\nb = \"" + deep + "\"\n", // """x"""" is x"
                 std::string(
                     "v = 1.5e3\nw = 1979-05-27T07:32:00Z\nx = [1.0, 2.5]\n"), // dots in values
             }) {
            INFO(text);
            CHECK(check_toml_limits(text, "p.toml").ok());
        }
        // The same characters outside a string count: the scanner is not just skipping.
        CHECK_FALSE(check_toml_limits("a = " + repeat("[", 40), "p.toml").ok());
    }

    TEST_CASE("a string's end is found after escapes and inside multi-line strings") {
        // After the strings close, the real nesting is counted again.
        CHECK_FALSE(check_toml_limits("a = \"\\\\\"\nb = " + repeat("[", 40), "p.toml").ok());
        CHECK_FALSE(
            check_toml_limits("a = \"\"\"\n\\\"\"\"\n\"\"\"\nb = " + repeat("[", 40), "p.toml")
                .ok());
        // Lines inside a multi-line string are counted for the error's position.
        CHECK(error_of("a = '''\n\n'''\nb = " + repeat("[", 33)).starts_with("p.toml:4:37: "));
    }
}
