// StateDir::certificate_names, lineage and remove_lineage: what `list` enumerates and what
// `delete` removes, all through the root's descriptor (folder.hpp), never through a link.
#include "store/state_dir.hpp"

#include "store/certificate_name.hpp"

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>

namespace wildcert::store {

namespace {

// nullopt when `name` does not exist in `folder`.
Result<std::optional<mode_t>> entry_type(const Folder& folder, const std::string& name) {
    struct stat info {};
    if (::fstatat(folder.fd(), name.c_str(), &info, AT_SYMLINK_NOFOLLOW) == 0)
        return std::optional<mode_t>(info.st_mode & S_IFMT);
    if (errno == ENOENT)
        return std::optional<mode_t>();
    return io_error("inspect", folder / name, errno);
}

Result<std::size_t> count_versions(const Folder& archive) {
    WILDCERT_TRY(const std::vector<std::string> names, archive.names());
    return static_cast<std::size_t>(std::count_if(names.begin(), names.end(), [](const auto& n) {
        return !n.empty() &&
               std::all_of(n.begin(), n.end(), [](char c) { return c >= '0' && c <= '9'; });
    }));
}

} // namespace

Result<std::vector<std::string>> StateDir::certificate_names() const {
    WILDCERT_TRY(const std::optional<Folder> live, m_root.sub_if_exists("live"));
    std::vector<std::string> names;
    if (!live)
        return names;
    WILDCERT_TRY(std::vector<std::string> entries, live->names());
    for (auto& entry : entries) {
        WILDCERT_TRY(const auto type, entry_type(*live, entry));
        if (type == S_IFLNK && check_certificate_name(entry).ok())
            names.push_back(std::move(entry));
    }
    std::sort(names.begin(), names.end());
    return names;
}

Result<CertificateLineage> StateDir::lineage(const std::string& name) const {
    WILDCERT_CHECK(check_certificate_name(name));
    CertificateLineage lineage;
    WILDCERT_TRY(const std::optional<Folder> live, m_root.sub_if_exists("live"));
    if (live) {
        WILDCERT_TRY(const auto type, entry_type(*live, name));
        if (type && *type != S_IFLNK)
            return make_error(ErrorKind::io, (*live / name).string() +
                                                 " is not a symlink made by wildcert; move it "
                                                 "away (wildcert will not delete it)");
        if (type)
            lineage.live = *live / name;
    }
    WILDCERT_TRY(const std::optional<Folder> archives, m_root.sub_if_exists("archive"));
    if (archives) {
        // sub_if_exists refuses a symlink or a file here: nothing is removed through one.
        WILDCERT_TRY(const std::optional<Folder> archive, archives->sub_if_exists(name));
        if (archive) {
            lineage.archive = archive->path();
            WILDCERT_TRY(lineage.versions, count_versions(*archive));
        }
    }
    WILDCERT_TRY(const std::optional<Folder> status, m_root.sub_if_exists("status"));
    if (status) {
        const std::string file = name + ".txt";
        WILDCERT_TRY(const auto type, entry_type(*status, file));
        if (type && *type != S_IFREG)
            return make_error(ErrorKind::io,
                              (*status / file).string() + " is not a regular file; move it away");
        if (type)
            lineage.status = *status / file;
    }
    return lineage;
}

Result<void> StateDir::remove_lineage(const std::string& name) const {
    // Checked as a whole first, so that a refusal removes nothing.
    WILDCERT_TRY(const CertificateLineage lineage, this->lineage(name));
    if (lineage.live) {
        WILDCERT_TRY(const Folder live, m_root.sub("live", Create::no));
        WILDCERT_CHECK(live.remove_file(name));
        WILDCERT_CHECK(live.sync());
    }
    if (lineage.archive) {
        WILDCERT_TRY(const Folder archives, m_root.sub("archive", Create::no));
        WILDCERT_CHECK(archives.remove_tree(name));
        WILDCERT_CHECK(archives.sync());
    }
    if (lineage.status) {
        WILDCERT_TRY(const Folder status, m_root.sub("status", Create::no));
        WILDCERT_CHECK(status.remove_file(name + ".txt"));
        WILDCERT_CHECK(status.sync());
    }
    return {};
}

} // namespace wildcert::store
