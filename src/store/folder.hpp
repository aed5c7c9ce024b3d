#pragma once
// A folder of the state directory, held open. Everything inside the state directory is reached
// from the root's descriptor one name at a time with openat(O_NOFOLLOW | O_DIRECTORY), so a
// symlink planted for any folder is refused instead of followed, and no path component can be
// swapped while a run works in it. Each folder opened is checked: it must belong to the user
// running wildcert and be writable by nobody else. A folder of that user that group or others
// may write is repaired to 0700 (what wildcert creates); one of another user is refused.

#include "store/posix_io.hpp"

#include <wildcert/result.hpp>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wildcert::store {

enum class Create { no, yes };

// Creates `dir` and missing parents with mode 0700 (existing folders keep their mode). For the
// state directory's own path, which the operator chose; inside it, Folder::sub creates.
[[nodiscard]] Result<void> create_private_dirs(const std::filesystem::path& dir);

class Folder {
public:
    // The state directory itself, created (with missing parents, 0700) when `create` says so.
    // Its path is the operator's choice and may go through symlinks; what it resolves to is
    // checked like every folder. `repairs` gets a line for each mode repaired.
    [[nodiscard]] static Result<Folder> open_root(const std::filesystem::path& path,
                                                  std::vector<std::string>* repairs = nullptr);
    // A folder the operator names outside the state directory (the folder of an output file):
    // followed as given, not checked.
    [[nodiscard]] static Result<Folder> open_plain(const std::filesystem::path& path);

    // The folder `name` (one path component) inside this one; refused when it is a symlink or
    // not a folder. Missing: created 0700 with Create::yes, else an ENOENT error.
    [[nodiscard]] Result<Folder> sub(std::string_view name, Create create,
                                     std::vector<std::string>* repairs = nullptr) const;
    // Like sub(name, Create::no), but nullopt when it does not exist.
    [[nodiscard]] Result<std::optional<Folder>> sub_if_exists(std::string_view name) const;

    [[nodiscard]] int fd() const { return m_fd->get(); }
    // For messages only: the path this folder was reached by.
    [[nodiscard]] const std::filesystem::path& path() const { return m_path; }
    [[nodiscard]] std::filesystem::path operator/(std::string_view name) const {
        return m_path / name;
    }

    // Opens (O_CREAT in `flags` creates, with `mode`) the regular file `name` in this folder:
    // never through a symlink, never blocking on a FIFO; anything but a regular file is
    // refused. O_CLOEXEC is added.
    [[nodiscard]] Result<FileDescriptor> open_file(std::string_view name, int flags,
                                                   unsigned mode = 0) const;

    // The names in the folder ("." and ".." left out), unsorted.
    [[nodiscard]] Result<std::vector<std::string>> names() const;
    // The same with what the folder says each entry is (d_type): lets a sweep skip the files
    // without an fstatat each. `unknown` on file systems that do not say (ask fstatat then).
    enum class EntryType { folder, other, unknown };
    struct Entry {
        std::string name;
        EntryType type;
    };
    [[nodiscard]] Result<std::vector<Entry>> list() const;
    // fsync, so that a rename or a new entry inside survives a crash.
    [[nodiscard]] Result<void> sync() const;
    // unlinkat(name); a missing entry is not an error.
    [[nodiscard]] Result<void> remove_file(std::string_view name) const;
    // Removes the folder `name` and everything in it, never following a symlink.
    [[nodiscard]] Result<void> remove_tree(std::string_view name) const;

private:
    [[nodiscard]] Result<void> remove_tree(std::string_view name, int depth) const;
    Folder(std::shared_ptr<FileDescriptor> fd, std::filesystem::path path)
        : m_fd(std::move(fd)), m_path(std::move(path)) {}
    // Shared: a Folder is copied into every object that works inside it.
    std::shared_ptr<FileDescriptor> m_fd;
    std::filesystem::path m_path;
};

} // namespace wildcert::store
