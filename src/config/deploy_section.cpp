#include "config/sections.hpp"

#include "config/duration.hpp"
#include "config/server_spec.hpp"

#include <filesystem>
#include <system_error>
#include <utility>

namespace wildcert::config {
namespace {

constexpr std::string_view k_key = "deploy";
// A deploy command that needs more than an hour is stuck, not slow; the next one waits for it.
constexpr std::chrono::milliseconds k_max_timeout{std::chrono::hours(1)};

// "nginx -s reload" -> ["nginx", "-s", "reload"], to show in the error what to write instead.
std::string as_array(std::string_view text) {
    std::string out = "[";
    std::size_t start = 0;
    while (start < text.size()) {
        const auto begin = text.find_first_not_of(" \t", start);
        if (begin == std::string_view::npos)
            break;
        auto end = text.find_first_of(" \t", begin);
        if (end == std::string_view::npos)
            end = text.size();
        out +=
            (out.size() > 1 ? ", \"" : "\"") + std::string(text.substr(begin, end - begin)) + "\"";
        start = end;
    }
    return out + "]";
}

// Fills settings.command and settings.shown.
Result<void> read_command(TableReader& table, DeploySettings& settings) {
    const Node* node = table.find("command");
    if (node == nullptr)
        return table.missing("command");
    if (node->kind == Node::Kind::string) {
        // No shell runs it, so a string would be one program name with spaces in it. Only a
        // literal string is split for the hint: an interpolated one may hold a secret.
        const bool literal = node->string.find("${") == std::string::npos;
        return table.error(
            node->position, "command",
            "must be an array of arguments, not a string: it runs without a "
            "shell (write command = " +
                (literal ? as_array(node->string) : "[\"/path/to/program\", \"arg\"]") + ")");
    }
    WILDCERT_TRY(const auto texts, table.optional_string_array("command"));
    if (!texts || texts->empty())
        return table.error(node->position, "command", "must name a program to run");
    std::vector<std::string> shown;
    for (std::size_t i = 0; i < texts->size(); ++i) {
        const Text& text = (*texts)[i];
        const std::string key = "command" + element_suffix(i);
        if (text.value.empty())
            return table.error(text.position, key, "must not be empty");
        // The argv of posix_spawn is C strings: a NUL would silently cut the argument.
        if (text.value.find('\0') != std::string::npos)
            return table.error(text.position, key, "contains a NUL character");
        settings.command.push_back(text.value);
        shown.push_back(text.interpolated ? text.raw : text.value);
    }
    // A bare name is looked up through PATH when it runs; a path with a slash is taken from
    // the profile's folder, so the same profile works from any working directory.
    auto& program = settings.command.front();
    if (program.find('/') != std::string::npos) {
        auto path = resolve_path(table.context(), program);
        std::error_code ignored;
        if (auto absolute = std::filesystem::absolute(path, ignored); !ignored)
            path = std::move(absolute);
        program = path.lexically_normal().string();
        if (!texts->front().interpolated)
            shown.front() = program;
    }
    for (const auto& word : shown)
        settings.shown += (settings.shown.empty() ? "" : " ") + word;
    return {};
}

Result<std::optional<std::chrono::milliseconds>> read_timeout(TableReader& table) {
    const Node* node = table.find("timeout");
    if (node == nullptr)
        return std::optional<std::chrono::milliseconds>{};
    std::optional<std::chrono::milliseconds> timeout;
    std::string shown;
    if (node->kind == Node::Kind::integer) {
        // Seconds, as the [dns] durations also accept; bounded before it is multiplied.
        if (node->integer > 0 &&
            node->integer <=
                std::chrono::duration_cast<std::chrono::seconds>(k_max_timeout).count())
            timeout = std::chrono::seconds(node->integer);
        shown = std::to_string(node->integer);
    } else if (node->kind == Node::Kind::string) {
        WILDCERT_TRY(const Text text, table.text(*node, "timeout"));
        timeout = parse_duration(text.value);
        if (!timeout)
            return table.error(text.position, "timeout",
                               text.shown() +
                                   " is not a duration (write e.g. \"30s\", \"5m\" or \"1m30s\")");
        shown = text.shown();
    } else {
        return table.wrong_type(*node, "timeout", "a duration (a string such as \"60s\")");
    }
    if (!timeout || *timeout <= std::chrono::milliseconds(0) || *timeout > k_max_timeout)
        return table.error(node->position, "timeout",
                           shown + " is out of range: more than 0 and at most 1h");
    return timeout;
}

// verify = ["host:port", { address = "host:port", sni = "name" }, ...]
Result<std::vector<VerifyEndpoint>> read_verify(TableReader& table) {
    std::vector<VerifyEndpoint> endpoints;
    const Node* node = table.find("verify");
    if (node == nullptr)
        return endpoints;
    if (node->kind != Node::Kind::array)
        return table.wrong_type(*node, "verify",
                                "an array of \"host:port\" strings or { address, sni } tables");
    for (std::size_t i = 0; i < node->array.size(); ++i) {
        const Node& element = node->array[i];
        const std::string key = "verify" + element_suffix(i);
        VerifyEndpoint endpoint;
        endpoint.origin = origin(table.context(), element.position) + ": " + table.key_path(key);
        Position address_position = element.position;
        if (element.kind == Node::Kind::string) {
            WILDCERT_TRY(const Text text, table.text(element, key));
            endpoint.address = text.value;
        } else if (element.kind == Node::Kind::table) {
            TableReader endpoint_table(table.context(), element, table.key_path(key));
            WILDCERT_TRY(const Text address, endpoint_table.required_string("address"));
            endpoint.address = address.value;
            address_position = address.position;
            WILDCERT_TRY(const auto sni, endpoint_table.optional_string("sni"));
            if (sni)
                endpoint.sni = sni->value;
            WILDCERT_CHECK(endpoint_table.reject_unknown());
        } else {
            return table.wrong_type(element, key, "a \"host:port\" string or { address, sni }");
        }
        const auto colon = endpoint.address.rfind(':');
        const bool has_port =
            colon != std::string::npos && colon + 1 < endpoint.address.size() &&
            endpoint.address.find_first_not_of("0123456789", colon + 1) == std::string::npos;
        if (!has_port || colon == 0)
            return table.error(address_position, key,
                               shown_value(address_position, endpoint.address) +
                                   " is not host:port (write e.g. \"www.example.com:443\")");
        if (const auto why = check_server_spec(endpoint.address))
            return table.error(address_position, key, *why);
        endpoints.push_back(std::move(endpoint));
    }
    return endpoints;
}

// The keys every deploy entry has, whatever its type; the rest belong to the deployer.
constexpr std::string_view k_common_keys[] = {"type", "verify", "verify_timeout", "dry_run",
                                              "targets"};

Result<std::vector<DeployTargetSettings>> read_targets(TableReader& table) {
    std::vector<DeployTargetSettings> targets;
    const Node* node = table.find("targets");
    if (node == nullptr)
        return targets;
    if (node->kind != Node::Kind::array || node->array.empty())
        return table.wrong_type(*node, "targets", "a non-empty array of tables");
    for (std::size_t i = 0; i < node->array.size(); ++i) {
        const Node& element = node->array[i];
        const std::string key = "targets" + element_suffix(i);
        if (element.kind != Node::Kind::table)
            return table.wrong_type(element, key, "a table ({ host = \"...\", ... })");
        TableReader target_table(table.context(), element, table.key_path(key));
        DeployTargetSettings target;
        target.origin = origin(table.context(), element.position);
        target.key_path = table.key_path(key);
        WILDCERT_TRY(target.verify, read_verify(target_table));
        constexpr std::string_view skip[] = {"verify"};
        WILDCERT_TRY(target.settings,
                     read_untyped_settings(target_table, skip, FileKeys::as_written));
        targets.push_back(std::move(target));
    }
    return targets;
}

Result<DeploySettings> read_deploy(TableReader& table) {
    DeploySettings settings;
    settings.origin = origin(table.context(), table.position());
    settings.key_path = table.key_path("");
    WILDCERT_TRY(const auto type, table.optional_string("type"));
    if (type) {
        if (type->value.empty())
            return table.error(type->position, "type", "must name a deployer (wildcert deployers)");
        settings.type = type->value;
    } else if (table.find("command") == nullptr) {
        return table.error(table.position(), "type",
                           "missing: set type = \"haproxy\" (or ssh, service; `wildcert "
                           "deployers` lists them) or command = [\"program\", \"arg\"]");
    }
    WILDCERT_TRY(settings.verify, read_verify(table));
    WILDCERT_TRY(const auto verify_timeout, read_duration(table, "verify_timeout"));
    if (verify_timeout) {
        if (*verify_timeout <= std::chrono::milliseconds(0) || *verify_timeout > k_max_timeout)
            return table.error(table.find("verify_timeout")->position, "verify_timeout",
                               "is out of range: more than 0 and at most 1h");
        settings.verify_timeout = *verify_timeout;
    }
    if (settings.type == "command") {
        WILDCERT_CHECK(read_command(table, settings));
        WILDCERT_TRY(const auto timeout, read_timeout(table));
        if (timeout)
            settings.timeout = *timeout;
        WILDCERT_CHECK(table.reject_unknown());
        return settings;
    }
    WILDCERT_TRY(const auto dry_run, table.optional_bool("dry_run"));
    settings.dry_run = dry_run.value_or(false);
    WILDCERT_TRY(settings.targets, read_targets(table));
    // The deployer's descriptor checks these (deployers/settings.cpp): names, types, required.
    WILDCERT_TRY(settings.settings,
                 read_untyped_settings(table, k_common_keys, FileKeys::as_written));
    return settings;
}

} // namespace

Result<std::vector<DeploySettings>> read_deploy_tables(TableReader& certificate) {
    std::vector<DeploySettings> hooks;
    const Node* node = certificate.find(k_key);
    if (node == nullptr)
        return hooks;
    if (node->kind != Node::Kind::array)
        return certificate.wrong_type(*node, k_key, "an array of tables ([[certificate.deploy]])");
    for (std::size_t i = 0; i < node->array.size(); ++i) {
        const Node& element = node->array[i];
        const std::string key = std::string(k_key) + element_suffix(i);
        if (element.kind != Node::Kind::table)
            return certificate.wrong_type(element, key, "a table ([[certificate.deploy]])");
        TableReader table(certificate.context(), element, certificate.key_path(key));
        WILDCERT_TRY(DeploySettings hook, read_deploy(table));
        hooks.push_back(std::move(hook));
    }
    return hooks;
}

} // namespace wildcert::config
