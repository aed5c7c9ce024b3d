#include "store/audit_log.hpp"

#include "store/posix_io.hpp"

#include <fcntl.h>
#include <string>

namespace wildcert::store {

Result<void> append_line(const Folder& dir, std::string_view name, std::string_view line) {
    WILDCERT_TRY(FileDescriptor fd, dir.open_file(name, O_WRONLY | O_APPEND | O_CREAT, 0600));
    std::string text(line);
    text += '\n';
    const std::filesystem::path path = dir / name;
    WILDCERT_CHECK(write_all(fd.get(), text, path));
    return fd.close(path);
}

} // namespace wildcert::store
