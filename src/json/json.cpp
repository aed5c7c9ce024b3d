#include "json/json.hpp"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>

namespace wildcert::json {
namespace {

const rapidjson::Value& get(const void* value) {
    return *static_cast<const rapidjson::Value*>(value);
}

const rapidjson::Value* find_member(const void* value, std::string_view key) {
    const auto& object = get(value);
    if (!object.IsObject())
        return nullptr;
    const auto it = object.FindMember(rapidjson::Value(
        rapidjson::StringRef(key.data(), static_cast<rapidjson::SizeType>(key.size()))));
    return it == object.MemberEnd() ? nullptr : &it->value;
}

// Every reader of a document (serialize(), the ACME problem reader with its subproblems, the
// value destructors) recurses once per level, so hostile nesting would overflow the stack
// even though RapidJSON's iterative parser does not. No document we read nests deeper than a
// handful of levels (RFC 8555 problems with subproblems: 4).
constexpr std::size_t k_max_depth = 64;

// The deepest nesting of arrays and objects in `text`, counting brackets outside strings;
// stops counting past k_max_depth. Malformed text is left for the parser to report.
std::size_t nesting_depth(std::string_view text) {
    std::size_t depth = 0;
    std::size_t deepest = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < text.size() && deepest <= k_max_depth; ++i) {
        const char c = text[i];
        if (in_string) {
            if (c == '\\')
                ++i; // the escaped character cannot end the string
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            deepest = std::max(deepest, ++depth);
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return deepest;
}

} // namespace

bool Value::is_object() const {
    return get(m_value).IsObject();
}
bool Value::is_array() const {
    return get(m_value).IsArray();
}
bool Value::is_string() const {
    return get(m_value).IsString();
}

std::optional<Value> Value::member(std::string_view key) const {
    const auto* found = find_member(m_value, key);
    if (found == nullptr)
        return std::nullopt;
    return Value(found);
}

std::optional<std::string> Value::string_member(std::string_view key) const {
    const auto* found = find_member(m_value, key);
    if (found == nullptr || !found->IsString())
        return std::nullopt;
    return std::string(found->GetString(), found->GetStringLength());
}

std::optional<std::int64_t> Value::int_member(std::string_view key) const {
    const auto* found = find_member(m_value, key);
    if (found == nullptr || !found->IsInt64())
        return std::nullopt;
    return found->GetInt64();
}

std::optional<bool> Value::bool_member(std::string_view key) const {
    const auto* found = find_member(m_value, key);
    if (found == nullptr || !found->IsBool())
        return std::nullopt;
    return found->GetBool();
}

std::vector<Value> Value::array_member(std::string_view key) const {
    const auto* found = find_member(m_value, key);
    if (found == nullptr)
        return {};
    return Value(found).items();
}

std::optional<std::string> Value::as_string() const {
    const auto& value = get(m_value);
    if (!value.IsString())
        return std::nullopt;
    return std::string(value.GetString(), value.GetStringLength());
}

std::vector<Value> Value::items() const {
    const auto& value = get(m_value);
    std::vector<Value> result;
    if (!value.IsArray())
        return result;
    result.reserve(value.Size());
    for (const auto& item : value.GetArray())
        result.push_back(Value(&item));
    return result;
}

std::vector<std::string> Value::member_names() const {
    const auto& value = get(m_value);
    std::vector<std::string> names;
    if (!value.IsObject())
        return names;
    for (const auto& member : value.GetObject())
        names.emplace_back(member.name.GetString(), member.name.GetStringLength());
    return names;
}

std::string Value::serialize() const {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    get(m_value).Accept(writer);
    return {buffer.GetString(), buffer.GetSize()};
}

struct Document::Impl {
    rapidjson::Document document;
};

Document::Document(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Document::Document(Document&&) noexcept = default;
Document& Document::operator=(Document&&) noexcept = default;
Document::~Document() = default;

Result<Document> Document::parse(std::string_view text) {
    if (nesting_depth(text) > k_max_depth) {
        return make_error(ErrorKind::acme, "invalid JSON: nested deeper than " +
                                               std::to_string(k_max_depth) + " levels");
    }
    auto impl = std::make_unique<Impl>();
    // The iterative parser needs no stack per level either.
    impl->document.Parse<rapidjson::kParseIterativeFlag>(text.data(), text.size());
    if (impl->document.HasParseError()) {
        return make_error(ErrorKind::acme,
                          std::string("invalid JSON at offset ") +
                              std::to_string(impl->document.GetErrorOffset()) + ": " +
                              rapidjson::GetParseError_En(impl->document.GetParseError()));
    }
    return Document(std::move(impl));
}

Value Document::root() const {
    return Value(&m_impl->document);
}

struct Writer::Impl {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer{buffer};
};

Writer::Writer() : m_impl(std::make_unique<Impl>()) {}
Writer::Writer(Writer&&) noexcept = default;
Writer& Writer::operator=(Writer&&) noexcept = default;
Writer::~Writer() = default;

Writer& Writer::begin_object() {
    m_impl->writer.StartObject();
    return *this;
}
Writer& Writer::end_object() {
    m_impl->writer.EndObject();
    return *this;
}
Writer& Writer::begin_array() {
    m_impl->writer.StartArray();
    return *this;
}
Writer& Writer::end_array() {
    m_impl->writer.EndArray();
    return *this;
}
Writer& Writer::key(std::string_view name) {
    m_impl->writer.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()));
    return *this;
}
Writer& Writer::string(std::string_view text) {
    m_impl->writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
    return *this;
}
Writer& Writer::integer(std::int64_t number) {
    m_impl->writer.Int64(number);
    return *this;
}
Writer& Writer::boolean(bool value) {
    m_impl->writer.Bool(value);
    return *this;
}
Writer& Writer::raw(std::string_view json_text) {
    m_impl->writer.RawValue(json_text.data(), json_text.size(), rapidjson::kObjectType);
    return *this;
}

std::string Writer::str() const {
    return {m_impl->buffer.GetString(), m_impl->buffer.GetSize()};
}

std::string quote(std::string_view text) {
    Writer writer;
    writer.string(text);
    return writer.str();
}

} // namespace wildcert::json
