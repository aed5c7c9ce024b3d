#include "cli/list_names_command.hpp"

#include "cli/exit_codes.hpp"
#include "cli/profile_paths.hpp"
#include "cli/report.hpp"
#include "config/document.hpp"

#include <iostream>

namespace wildcert::cli {
namespace {

const config::Node* entry_of(const config::Node& table, std::string_view key) {
    for (const auto& entry : table.table) {
        if (entry.key == key)
            return &entry.value;
    }
    return nullptr;
}

} // namespace

int run_list_names(const Arguments& arguments) {
    auto paths = expand_profile_paths(arguments.profiles);
    if (!paths.ok())
        return report_failure(paths.error());
    int exit_code = k_exit_ok;
    for (const auto& path : *paths) {
        auto document = config::parse_document(path, path.string());
        if (!document.ok()) {
            exit_code = report_failure(document.error());
            continue;
        }
        const config::Node* certificates = entry_of(*document, "certificate");
        if (certificates == nullptr || certificates->kind != config::Node::Kind::array)
            continue;
        for (const auto& certificate : certificates->array) {
            const config::Node* name = entry_of(certificate, "name");
            // A ${VAR} name is only known once loaded: not offered.
            if (name != nullptr && name->kind == config::Node::Kind::string &&
                name->string.find("${") == std::string::npos)
                std::cout << name->string << '\n';
        }
    }
    return exit_code;
}

} // namespace wildcert::cli
