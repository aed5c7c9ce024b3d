// Unit tests for src/json: untrusted input must never crash or assert.
#include "json/json.hpp"

#include <doctest/doctest.h>

using wildcert::json::Document;
using wildcert::json::Writer;

TEST_SUITE("json") {
    TEST_CASE("reads members only when their type matches") {
        const auto document =
            Document::parse(R"({"s":"text","i":42,"b":true,"a":["x",1],"o":{"k":"v"},"n":null})");
        REQUIRE(document.ok());
        const auto root = document->root();
        CHECK(root.string_member("s") == "text");
        CHECK(root.int_member("i") == 42);
        CHECK(root.bool_member("b") == true);
        CHECK_FALSE(root.string_member("i").has_value());
        CHECK_FALSE(root.int_member("s").has_value());
        CHECK_FALSE(root.bool_member("n").has_value());
        CHECK_FALSE(root.string_member("missing").has_value());
        CHECK(root.array_member("a").size() == 2);
        CHECK(root.array_member("s").empty());
        CHECK(root.member("o")->string_member("k") == "v");
    }

    TEST_CASE("accessors on non-objects answer absent") {
        const auto document = Document::parse(R"(["not","an","object"])");
        REQUIRE(document.ok());
        CHECK_FALSE(document->root().string_member("x").has_value());
        CHECK(document->root().items().size() == 3);
    }

    TEST_CASE("invalid JSON is an error with its offset") {
        for (const char* text : {"", "{", R"({"a":})", R"({"a":1} trailing)", "[1,2"}) {
            const auto document = Document::parse(text);
            REQUIRE_FALSE(document.ok());
            CHECK(document.error().message.find("invalid JSON at offset") != std::string::npos);
        }
    }

    TEST_CASE("deep nesting is refused before any reader can overflow the stack") {
        // The readers (serialize, the ACME problem reader) recurse per level; the fuzz
        // regression tests/fuzz/regressions/order/deep_nested_error_serialize.json crashed
        // serialize() before this bound.
        const std::string deep = std::string(100000, '[') + std::string(100000, ']');
        const auto refused = Document::parse(deep);
        REQUIRE_FALSE(refused.ok());
        CHECK(refused.error().message.find("nested deeper than 64 levels") != std::string::npos);
        CHECK_FALSE(Document::parse(std::string(65, '[') + std::string(65, ']')).ok());

        const auto limit = Document::parse(std::string(64, '[') + std::string(64, ']'));
        REQUIRE(limit.ok());
        CHECK(limit->root().serialize().size() == 128);
        // Brackets inside strings, escaped quotes included, are text, not nesting.
        const auto text = Document::parse(R"({"k":"[[[\"{{{)" + std::string(100, '[') + R"("})");
        CHECK(text.ok());
    }

    TEST_CASE("writer keeps member order and escapes strings") {
        Writer writer;
        writer.begin_object()
            .key("z")
            .string("quote\" and \\ and \n")
            .key("a")
            .integer(-7)
            .key("m")
            .boolean(false)
            .key("r")
            .raw(R"({"k":1})")
            .key("l")
            .begin_array()
            .string("x")
            .end_array()
            .end_object();
        CHECK(writer.str() ==
              R"({"z":"quote\" and \\ and \n","a":-7,"m":false,"r":{"k":1},"l":["x"]})");
        CHECK(wildcert::json::quote("a\"b") == R"("a\"b")");
    }
}
