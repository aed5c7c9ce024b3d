#include <wildcert/key_type.hpp>

#include <array>
#include <utility>

namespace wildcert {
namespace {

constexpr std::array<std::pair<KeyType, std::string_view>, 5> k_key_type_names{{
    {KeyType::ec_p256, "ec-p256"},
    {KeyType::ec_p384, "ec-p384"},
    {KeyType::rsa_2048, "rsa-2048"},
    {KeyType::rsa_3072, "rsa-3072"},
    {KeyType::rsa_4096, "rsa-4096"},
}};

} // namespace

std::optional<KeyType> parse_key_type(std::string_view text) {
    for (const auto& [type, name] : k_key_type_names) {
        if (name == text)
            return type;
    }
    return std::nullopt;
}

const char* to_string(KeyType type) {
    for (const auto& [known, name] : k_key_type_names) {
        if (known == type)
            return name.data();
    }
    return "unknown";
}

} // namespace wildcert
