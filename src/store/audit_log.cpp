#include "store/audit_log.hpp"

#include "store/posix_io.hpp"

#include <fcntl.h>
#include <string>

namespace wildcert::store {

Result<void> append_line(const std::filesystem::path& path, std::string_view line) {
    WILDCERT_TRY(FileDescriptor fd, open_fd(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600));
    std::string text(line);
    text += '\n';
    WILDCERT_CHECK(write_all(fd.get(), text, path));
    return fd.close(path);
}

} // namespace wildcert::store
