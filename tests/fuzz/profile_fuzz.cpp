// libFuzzer target: a profile's text through the TOML parser, the WILDCERT_* overlay and every
// section reader. Any input must end in a profile or a profile error, never in a crash, a
// sanitizer report or an exception escaping src/config.
#include "config/document.hpp"
#include "config/env_overlay.hpp"
#include "config/sections.hpp"
#include "config/table_reader.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace wildcert::config;

// A fixed environment, so that ${VAR} and the overlay's name matching are exercised too.
std::optional<std::string> fixed_lookup(const std::string& name) {
    if (name == "TSIG_SECRET")
        return std::string("c2VjcmV0");
    if (name == "SITE")
        return std::string("demo");
    return std::nullopt;
}

const std::vector<EnvVariable> k_variables{
    {"WILDCERT_CERTIFICATE_DEMO_DOMAINS", "*.demo.test, demo.test"},
    {"WILDCERT_DNS_RFC2136_TSIG_SECRET", "c2VjcmV0"},
    {"WILDCERT_DNS_TTL", "120"},
};

void read_all(const LoadContext& context, const Node& document) {
    TableReader root(context, document, "");
    for (const auto key : {"acme", "dns", "certificate"})
        root.mark_known(key);
    if (!root.reject_unknown().ok())
        return;
    if (const Node* acme = root.find("acme"); acme != nullptr && acme->kind == Node::Kind::table) {
        TableReader reader(context, *acme, "acme");
        (void)read_acme_section(reader).ok();
    }
    if (const Node* dns = root.find("dns"); dns != nullptr && dns->kind == Node::Kind::table) {
        TableReader reader(context, *dns, "dns");
        (void)read_dns_section(reader).ok();
    }
    if (const Node* certificates = root.find("certificate"))
        (void)read_certificate_sections(root, *certificates).ok();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto document = parse_document_text(text, "fuzz.toml");
    if (!document.ok())
        return 0;
    LoadContext context{"fuzz.toml", "/nonexistent-fuzz-folder", fixed_lookup, {}};
    Node node = std::move(document).value();
    if (!apply_environment(node, k_variables, context.env, context.environment).ok())
        return 0;
    read_all(context, node);
    return 0;
}
