// check_state_writable: can this process write in the state directory where a run writes?

#include "core/account_setup.hpp"
#include "core/preflight_checks.hpp"
#include "store/write_probe.hpp"

#include <cstring>
#include <unistd.h>

namespace wildcert::core {
namespace {

// What stands in the way, in words, and what to do about it.
std::string refusal(const std::filesystem::path& path, int error, bool folder) {
    const std::string where = path.string();
    const std::string what = std::string(" (") + std::strerror(error) + ")";
    switch (error) {
    case EACCES:
        return (folder
                    ? "this user (uid " + std::to_string(::getuid()) + ") may not create files here"
                    : "this user (uid " + std::to_string(::getuid()) +
                          ") may not write this file") +
               what + "; give it write access: chmod " + (folder ? "u+rwx " : "u+rw ") + where +
               (folder ? " (wildcert makes its folders 0700)" : " (wildcert makes it 0600)");
    case EROFS:
        return "on a read-only file system" + what + "; remount it read-write or choose a " +
               "writable --state-dir (under systemd: ReadWritePaths=" + where + ")";
    case EPERM:
        return "writing is not permitted" + what +
               "; the folder or file may be immutable: lsattr -d " + where + ", chattr -i " + where;
    case ENOSPC:
    case EDQUOT:
        return "the file system is full" + what + "; free space or raise the quota";
    default:
        return std::string("cannot be written: ") + std::strerror(error);
    }
}

} // namespace

void check_state_writable(const Client::State& state,
                          const std::vector<CertificateSettings>& certificates, Checks& checks) {
    const store::Folder& root = state.state_dir.folder();
    std::vector<store::Folder> folders{root};
    bool failed = false;
    // `parent`/`name` when it exists: a run writes in it; one that is missing is created by
    // the run inside a folder probed here.
    const auto add_existing = [&](const store::Folder& parent, const std::string& name) {
        auto found = parent.sub_if_exists(name);
        if (!found.ok()) {
            checks.add("state " + (parent / name).string(), CheckStatus::failed,
                       found.error().message);
            failed = true;
        } else if (*found) {
            folders.push_back(**found);
        }
        return found.ok() ? *found : std::optional<store::Folder>();
    };
    for (const auto& top : store::state_dir_folders()) {
        const auto folder = add_existing(root, top);
        if (!folder)
            continue;
        if (top == "accounts") {
            const auto account = state.state_dir.account_dir(state.profile.acme.directory_url,
                                                             eab_key_id(state.profile.acme));
            add_existing(*folder, account.filename().string());
        } else if (top == "journal") {
            add_existing(*folder, state.journal.folder_name());
        } else if (top == "archive") {
            for (const auto& certificate : certificates)
                add_existing(*folder, certificate.name);
        }
    }
    for (const auto& folder : folders) {
        if (const int error = store::probe_folder_write(folder); error != 0) {
            checks.add("state " + folder.path().string(), CheckStatus::failed,
                       refusal(folder.path(), error, true));
            failed = true;
        }
    }
    if (const int error = store::probe_file_write(root, store::k_audit_log_file); error != 0) {
        checks.add("state " + (root / store::k_audit_log_file).string(), CheckStatus::failed,
                   refusal(root / store::k_audit_log_file, error, false));
        failed = true;
    }
    if (!failed)
        checks.add("state " + root.path().string(), CheckStatus::ok,
                   "writable: a file could be created (and was gone at once) in each of the " +
                       std::to_string(folders.size()) + " folder(s) a run of these certificates " +
                       "writes in");
}

} // namespace wildcert::core
