#include "config/sections.hpp"

#include "config/small_file.hpp"
#include "crypto/pkcs12_kdf.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <utility>

namespace wildcert::config {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view k_key = "output";
// A password is a line; anything bigger is the wrong file.
constexpr std::size_t k_max_password_file_bytes = 4096;

struct FormatName {
    std::string_view name;
    OutputFormat format;
};
constexpr std::array<FormatName, 3> k_formats{{{"pkcs12", OutputFormat::pkcs12},
                                               {"pem-bundle", OutputFormat::pem_bundle},
                                               {"der", OutputFormat::der}}};

Result<OutputFormat> read_format(TableReader& output) {
    WILDCERT_TRY(const Text text, output.required_string("format"));
    for (const auto& [name, format] : k_formats) {
        if (text.value == name)
            return format;
    }
    return output.error(text.position, "format",
                        text.shown() +
                            " is not an output format (expected pkcs12, pem-bundle or der)");
}

Result<fs::path> read_path(TableReader& output) {
    WILDCERT_TRY(const Text text, output.required_string("path"));
    if (text.value.empty())
        return output.error(text.position, "path", "is empty; expected a file path");
    if (text.value.back() == '/')
        return output.error(text.position, "path",
                            text.shown() + " names a folder; expected a file");
    const fs::path path = resolve_path(output.context(), text.value);
    std::error_code ec;
    if (fs::is_directory(path, ec))
        return output.error(text.position, "path",
                            text.shown() + " is a folder; expected a file to write");
    return path;
}

// Files written by `echo` or an editor end with a newline that is not part of the password.
void trim_trailing_newlines(std::string& text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
        text.pop_back();
}

struct Located {
    std::string value;
    Position position;
    std::string key; // "password" or "password_file"
};

// password or password_file, at most one of them. Neither the value nor the file's content
// ever appears in a message.
Result<std::optional<Located>> read_password_key(TableReader& output) {
    const Node* inline_node = output.find("password");
    const Node* file_node = output.find("password_file");
    if (inline_node != nullptr && file_node != nullptr)
        return output.error(std::max(inline_node->position, file_node->position), "password_file",
                            "both 'password' and 'password_file' are set; keep one");
    if (inline_node != nullptr) {
        WILDCERT_TRY(Text text, output.text(*inline_node, "password"));
        return std::optional<Located>{Located{std::move(text.value), text.position, "password"}};
    }
    if (file_node == nullptr)
        return std::optional<Located>{};
    WILDCERT_TRY(const Text path_text, output.text(*file_node, "password_file"));
    if (path_text.value.empty())
        return output.error(file_node->position, "password_file", "is empty; expected a file path");
    const auto path = resolve_path(output.context(), path_text.value);
    auto content = read_small_file(path, k_max_password_file_bytes);
    if (!content.ok())
        return output.error(file_node->position, "password_file",
                            "cannot read " + path_text.shown() + ": " + content.error().message);
    warn_if_readable_by_others(output.context(), file_node->position,
                               output.key_path("password_file"), path);
    std::string password = std::move(content).value();
    trim_trailing_newlines(password);
    return std::optional<Located>{
        Located{std::move(password), file_node->position, "password_file"}};
}

Result<std::string> read_password(TableReader& output, OutputFormat format,
                                  Position format_position) {
    WILDCERT_TRY(std::optional<Located> password, read_password_key(output));
    if (format != OutputFormat::pkcs12) {
        if (password)
            return output.error(password->position, password->key,
                                "is only used with format = \"pkcs12\" (line " +
                                    std::to_string(format_position.line) + " sets another format)");
        return std::string();
    }
    if (!password)
        return output.error(output.position(), "password",
                            "missing: format \"pkcs12\" needs password (or password_file)");
    // Importers disagree on what an empty PKCS#12 password means (RFC 7292 Appendix B.1 has
    // two encodings for it), and an unset-but-empty ${VAR} is the likelier cause anyway.
    if (password->value.empty())
        return output.error(password->position, password->key, "is empty");
    // The MAC key is derived from the password as BMPString (RFC 7292 Appendix B.1).
    if (!crypto::bmp_string(password->value).ok())
        return output.error(password->position, password->key, "is not valid UTF-8");
    return std::move(password->value);
}

// "0600", "640": octal permission bits only. Set-uid, set-gid and sticky make no sense on a
// certificate file and a setuid bit on a file we write would be a hazard: refused.
std::optional<fs::perms> parse_mode(std::string_view text) {
    if (text.size() < 3 || text.size() > 4)
        return std::nullopt;
    unsigned value = 0;
    for (const char c : text) {
        if (c < '0' || c > '7')
            return std::nullopt;
        value = value * 8 + static_cast<unsigned>(c - '0');
    }
    if (value > 0777)
        return std::nullopt;
    return static_cast<fs::perms>(value);
}

Result<fs::perms> read_mode(TableReader& output, OutputFormat format) {
    const fs::perms k_default = fs::perms::owner_read | fs::perms::owner_write;
    const Node* node = output.find("mode");
    if (node == nullptr)
        return k_default;
    if (node->kind != Node::Kind::string)
        return output.wrong_type(*node, "mode", "an octal string such as \"0600\"");
    WILDCERT_TRY(const Text text, output.text(*node, "mode"));
    const auto mode = parse_mode(text.value);
    if (!mode)
        return output.error(
            text.position, "mode",
            text.shown() + " is not a file mode (expected 3 or 4 octal digits such as \"0600\" "
                           "or \"0640\", at most 0777: no set-uid, set-gid or sticky bit)");
    if ((*mode & fs::perms::owner_read) == fs::perms::none)
        return output.error(text.position, "mode",
                            text.shown() + ": the owner must be able to read it");
    if ((*mode & fs::perms::others_write) != fs::perms::none)
        return output.error(text.position, "mode",
                            text.shown() + ": anyone could rewrite the file (drop the o+w bit)");
    // The bundle holds the private key in clear (PKCS#12 encrypts it; DER has none).
    if (format == OutputFormat::pem_bundle && (*mode & fs::perms::others_read) != fs::perms::none)
        return output.error(text.position, "mode",
                            text.shown() +
                                ": a pem-bundle holds the private key in clear; do not let "
                                "everyone read it (0600, or 0640 with a group)");
    return *mode;
}

Result<OutputSettings> read_output(TableReader& output) {
    OutputSettings settings;
    settings.origin = origin(output.context(), output.position());
    WILDCERT_TRY(settings.format, read_format(output));
    const Position format_position = output.find("format")->position;
    WILDCERT_TRY(settings.path, read_path(output));
    settings.path_origin =
        origin(output.context(), output.find("path")->position) + ": " + output.key_path("path");
    WILDCERT_TRY(settings.password, read_password(output, settings.format, format_position));
    WILDCERT_TRY(settings.mode, read_mode(output, settings.format));
    WILDCERT_CHECK(output.reject_unknown());
    return settings;
}

} // namespace

Result<std::vector<OutputSettings>> read_output_tables(TableReader& certificate) {
    std::vector<OutputSettings> outputs;
    const Node* node = certificate.find(k_key);
    if (node == nullptr)
        return outputs;
    if (node->kind != Node::Kind::array)
        return certificate.wrong_type(*node, k_key, "an array of tables ([[certificate.output]])");
    for (std::size_t i = 0; i < node->array.size(); ++i) {
        const Node& element = node->array[i];
        const std::string key = std::string(k_key) + element_suffix(i);
        if (element.kind != Node::Kind::table)
            return certificate.wrong_type(element, key, "a table ([[certificate.output]])");
        TableReader output(certificate.context(), element, certificate.key_path(key));
        WILDCERT_TRY(OutputSettings settings, read_output(output));
        outputs.push_back(std::move(settings));
    }
    return outputs;
}

Result<void> check_output_paths(const TableReader& root, const Node& certificates,
                                const std::vector<CertificateSettings>& settings) {
    // path -> key path of its first writer, with its line
    std::map<fs::path, std::pair<std::string, Position>> writers;
    for (std::size_t i = 0; i < settings.size(); ++i) {
        TableReader certificate(root.context(), certificates.array[i],
                                "certificate" + element_suffix(i));
        const Node* outputs = certificate.find(k_key);
        for (std::size_t j = 0; j < settings[i].outputs.size(); ++j) {
            TableReader output(root.context(), outputs->array[j],
                               certificate.key_path(std::string(k_key) + element_suffix(j)));
            const Node& path = *output.find("path");
            const auto [it, inserted] = writers.emplace(
                settings[i].outputs[j].path, std::make_pair(output.key_path(""), path.position));
            if (inserted)
                continue;
            WILDCERT_TRY(const Text text, output.text(path, "path"));
            return output.error(path.position, "path",
                                text.shown() + " is already written by " + it->second.first +
                                    " (line " + std::to_string(it->second.second.line) + ")");
        }
    }
    return {};
}

} // namespace wildcert::config
