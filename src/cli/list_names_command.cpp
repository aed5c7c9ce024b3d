#include "cli/list_names_command.hpp"

#include "cli/exit_codes.hpp"
#include "cli/profile_paths.hpp"
#include "cli/report.hpp"
#include "config/document.hpp"
#include "store/certificate_name.hpp"

#include <algorithm>
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

int print_profile_names(const Arguments& arguments) {
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

// The names under <state>/live/. Not through CertificateStore::open, which creates the state
// directory and repairs its modes: pressing TAB must change nothing. A state directory
// without live/ has no names; one that cannot be read is an error (on stderr, which the
// completions discard).
int print_stored_names(const Arguments& arguments) {
    const auto state_dir = state_dir_for(arguments);
    if (!state_dir.ok())
        return report_failure(state_dir.error());
    const std::filesystem::path live = *state_dir / "live";
    std::error_code error;
    std::filesystem::directory_iterator entry(live, error);
    if (error == std::errc::no_such_file_or_directory)
        return k_exit_ok;
    std::vector<std::string> names;
    for (; !error && entry != std::filesystem::directory_iterator(); entry.increment(error)) {
        std::string name = entry->path().filename().string();
        std::error_code type_error;
        // What wildcert made: a symlink with a name it accepts (StateDir::certificate_names).
        if (entry->is_symlink(type_error) && store::check_certificate_name(name).ok())
            names.push_back(std::move(name));
    }
    if (error)
        return report_failure(
            Error{ErrorKind::io, "cannot read " + live.string() + ": " + error.message()});
    std::sort(names.begin(), names.end());
    for (const auto& name : names)
        std::cout << name << '\n';
    return k_exit_ok;
}

} // namespace

int run_list_names(const Arguments& arguments) {
    return arguments.profiles.empty() ? print_stored_names(arguments)
                                      : print_profile_names(arguments);
}

} // namespace wildcert::cli
