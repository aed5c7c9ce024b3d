#include "cli/delete_command.hpp"

#include "cli/exit_codes.hpp"
#include "cli/report.hpp"
#include "json/json.hpp"

#include <wildcert/certificate_store.hpp>

#include <algorithm>
#include <cctype>
#include <iostream>
#include <unistd.h>

namespace wildcert::cli {
namespace {

std::string describe(const CertificateLineagePaths& lineage) {
    std::string text;
    for (const auto& path : lineage.paths) {
        text += (text.empty() ? "" : ", ") + path.string();
        if (path.filename() == lineage.name && path.parent_path().filename() == "archive")
            text += " (" + std::to_string(lineage.versions) + " version" +
                    (lineage.versions == 1 ? "" : "s") + ")";
    }
    return text;
}

int finish(const Arguments& arguments, const std::string& name,
           const CertificateLineagePaths* deleted, const Error* error, int exit_code) {
    if (error != nullptr)
        (void)report_failure(*error);
    if (!arguments.json) {
        if (deleted != nullptr)
            std::cout << name << ": deleted " << describe(*deleted) << std::endl;
        return exit_code;
    }
    json::Writer out;
    out.begin_object().key("name").string(name).key("deleted").boolean(deleted != nullptr);
    out.key("paths").begin_array();
    if (deleted != nullptr) {
        for (const auto& path : deleted->paths)
            out.string(path.string());
    }
    out.end_array().key("error");
    if (error != nullptr)
        out.string(error->message);
    else
        out.raw("null");
    out.key("ok").boolean(exit_code == k_exit_ok).key("exit_code").integer(exit_code);
    out.end_object();
    std::cout << out.str() << std::endl;
    return exit_code;
}

} // namespace

bool read_confirmation(std::istream& in) {
    std::string line;
    if (!std::getline(in, line))
        return false;
    const auto blank = [](unsigned char c) { return std::isspace(c) != 0; };
    line.erase(line.begin(), std::find_if_not(line.begin(), line.end(), blank));
    line.erase(std::find_if_not(line.rbegin(), line.rend(), blank).base(), line.end());
    std::transform(line.begin(), line.end(), line.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return line == "y" || line == "yes";
}

int run_delete(const Arguments& arguments) {
    const std::string& name = arguments.certificates.front();
    const auto fail = [&](const Error& error) {
        return finish(arguments, name, nullptr, &error, exit_code_for(error));
    };
    const auto state_dir = state_dir_for(arguments);
    if (!state_dir.ok())
        return fail(state_dir.error());
    auto store = CertificateStore::open(*state_dir, stderr_log(arguments.verbosity));
    if (!store.ok())
        return fail(store.error());
    auto lineage = store->lineage(name);
    if (!lineage.ok())
        return fail(lineage.error());
    if (lineage->paths.empty())
        return fail(Error{ErrorKind::usage, "delete: no certificate \"" + name + "\" in " +
                                                store->root().string() +
                                                " (wildcert list shows what there is)"});
    if (!arguments.yes) {
        // Waiting for an answer nobody can give would hang a script or a timer: refuse.
        if (::isatty(STDIN_FILENO) == 0)
            return fail(
                Error{ErrorKind::usage, "delete " + name +
                                            ": not confirmed: stdin is not a terminal, so wildcert "
                                            "cannot ask; add --yes to delete " +
                                            describe(*lineage)});
        std::cerr << "wildcert: delete " << describe(*lineage)
                  << "? Servers using it lose it; nothing changes at the CA. [y/N] " << std::flush;
        if (!read_confirmation(std::cin))
            return fail(Error{ErrorKind::io, "delete " + name +
                                                 ": not confirmed; nothing was "
                                                 "deleted"});
    }
    auto removed = store->remove(name);
    if (!removed.ok())
        return fail(removed.error());
    if (!*removed) {
        const Error locked{ErrorKind::io,
                           "delete " + name + ": another wildcert run is working on it (" +
                               (store->root() / "locks" / ("cert-" + name + ".lock")).string() +
                               " is locked); nothing was deleted, try again when it is done"};
        return finish(arguments, name, nullptr, &locked, k_exit_locked);
    }
    return finish(arguments, name, &**removed, nullptr, k_exit_ok);
}

} // namespace wildcert::cli
