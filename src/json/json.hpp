#pragma once
// A thin, safe reader and writer over RapidJSON. Server JSON is untrusted: every accessor
// checks the type first and answers "absent" instead of asserting.

#include <wildcert/result.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wildcert::json {

// A view into a Document; valid while the Document lives.
class Value {
public:
    [[nodiscard]] bool is_object() const;
    [[nodiscard]] bool is_array() const;
    [[nodiscard]] bool is_string() const;

    [[nodiscard]] std::optional<Value> member(std::string_view key) const;
    [[nodiscard]] std::optional<std::string> string_member(std::string_view key) const;
    [[nodiscard]] std::optional<std::int64_t> int_member(std::string_view key) const;
    [[nodiscard]] std::optional<bool> bool_member(std::string_view key) const;
    // Items of an array member; empty when absent or not an array.
    [[nodiscard]] std::vector<Value> array_member(std::string_view key) const;

    [[nodiscard]] std::optional<std::string> as_string() const;
    [[nodiscard]] std::vector<Value> items() const; // array items; empty when not an array
    // Member names of an object, in document order; empty when not an object.
    [[nodiscard]] std::vector<std::string> member_names() const;
    // Compact JSON text of this value.
    [[nodiscard]] std::string serialize() const;

private:
    friend class Document;
    explicit Value(const void* value) : m_value(value) {}
    const void* m_value; // const rapidjson::Value*, kept opaque so RapidJSON stays in src/json
};

class Document {
public:
    // Parses UTF-8 JSON text; trailing garbage is an error. The message says where.
    [[nodiscard]] static Result<Document> parse(std::string_view text);

    Document(Document&&) noexcept;
    Document& operator=(Document&&) noexcept;
    ~Document();

    [[nodiscard]] Value root() const;

    struct Impl;

private:
    explicit Document(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

// Streaming writer; members come out in the order written (RFC 7638 needs that).
class Writer {
public:
    Writer();
    Writer(Writer&&) noexcept;
    Writer& operator=(Writer&&) noexcept;
    ~Writer();

    Writer& begin_object();
    Writer& end_object();
    Writer& begin_array();
    Writer& end_array();
    Writer& key(std::string_view name);
    Writer& string(std::string_view text);
    Writer& integer(std::int64_t number);
    Writer& boolean(bool value);
    // Inserts already valid JSON text as a value (e.g. a JWK built elsewhere).
    Writer& raw(std::string_view json_text);

    // The text written so far; the writer must be complete (balanced).
    [[nodiscard]] std::string str() const;

    struct Impl;

private:
    std::unique_ptr<Impl> m_impl;
};

// Quotes and escapes a string as a JSON string literal.
[[nodiscard]] std::string quote(std::string_view text);

} // namespace wildcert::json
