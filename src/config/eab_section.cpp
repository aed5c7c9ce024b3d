#include "config/sections.hpp"

#include "config/small_file.hpp"
#include "crypto/base64.hpp"

#include <algorithm>
#include <array>
#include <string_view>
#include <tuple>
#include <utility>

namespace wildcert::config {
namespace {

// A MAC key is one line of base64; anything bigger is the wrong file.
constexpr std::size_t k_max_key_file_bytes = 4096;

bool is_printable_ascii(std::string_view text) {
    for (const char c : text) {
        if (c < 0x21 || c > 0x7e)
            return false;
    }
    return true;
}

Result<EabAlgorithm> read_algorithm(TableReader& eab) {
    WILDCERT_TRY(const std::optional<Text> text, eab.optional_string("algorithm"));
    if (!text)
        return EabAlgorithm::hs256;
    // RFC 7518 §3.1 names; lower case is accepted too because people type it that way.
    constexpr std::array<std::tuple<std::string_view, std::string_view, EabAlgorithm>, 3>
        k_algorithms{{{"HS256", "hs256", EabAlgorithm::hs256},
                      {"HS384", "hs384", EabAlgorithm::hs384},
                      {"HS512", "hs512", EabAlgorithm::hs512}}};
    for (const auto& [upper, lower, algorithm] : k_algorithms) {
        if (text->value == upper || text->value == lower)
            return algorithm;
    }
    return eab.error(text->position, "algorithm",
                     text->shown() + " is not a MAC algorithm (expected HS256, HS384 or HS512)");
}

// hmac_key or hmac_key_file, exactly one of them. Neither the value nor the file content ever
// appears in a message: both are the CA's secret.
Result<std::string> read_hmac_key(TableReader& eab) {
    const Node* inline_node = eab.find("hmac_key");
    const Node* file_node = eab.find("hmac_key_file");
    if (inline_node != nullptr && file_node != nullptr) {
        return eab.error(std::max(inline_node->position, file_node->position), "hmac_key_file",
                         "both 'hmac_key' and 'hmac_key_file' are set; keep one");
    }
    std::string key;
    Position position;
    std::string name;
    if (inline_node != nullptr) {
        WILDCERT_TRY(Text text, eab.text(*inline_node, "hmac_key"));
        key = std::move(text.value);
        position = inline_node->position;
        name = "hmac_key";
    } else if (file_node != nullptr) {
        WILDCERT_TRY(const Text path_text, eab.text(*file_node, "hmac_key_file"));
        if (path_text.value.empty())
            return eab.error(file_node->position, "hmac_key_file",
                             "is empty; expected a file path");
        const auto path = resolve_path(eab.context(), path_text);
        auto content = read_small_file(path, k_max_key_file_bytes);
        if (!content.ok()) {
            return eab.error(file_node->position, "hmac_key_file",
                             "cannot read " + path_text.shown() + ": " + content.error().message);
        }
        warn_if_readable_by_others(eab.context(), file_node->position,
                                   eab.key_path("hmac_key_file"), path);
        key = std::move(content).value();
        position = file_node->position;
        name = "hmac_key_file";
    } else {
        return eab.error(eab.position(), "hmac_key",
                         "missing: set hmac_key (or hmac_key_file) to the MAC key the CA gave");
    }
    // Checked here so that a mangled key is a profile error before anything is sent. The
    // decoder's message says what is wrong (length, padding, offset) without the key itself.
    const auto decoded = crypto::base64url_decode(key);
    if (!decoded.ok())
        return eab.error(position, name,
                         "not a base64url or base64 MAC key: " + decoded.error().message);
    if (decoded->empty())
        return eab.error(position, name, "is empty");
    return key;
}

} // namespace

Result<EabSettings> read_eab_section(TableReader& eab) {
    EabSettings settings;
    settings.origin = origin(eab.context(), eab.position());
    WILDCERT_TRY(const Text key_id, eab.required_string("key_id"));
    // RFC 8555 §7.3.4: the key identifier is an ASCII string.
    if (key_id.value.empty() || !is_printable_ascii(key_id.value))
        return eab.error(key_id.position, "key_id", "must be printable ASCII without spaces");
    settings.key_id = key_id.value;
    WILDCERT_TRY(settings.hmac_key, read_hmac_key(eab));
    WILDCERT_TRY(settings.algorithm, read_algorithm(eab));
    WILDCERT_CHECK(eab.reject_unknown());
    return settings;
}

} // namespace wildcert::config
