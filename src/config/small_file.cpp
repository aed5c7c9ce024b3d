#include "config/small_file.hpp"

#include "common/regular_file.hpp"

#include <cerrno>
#include <fcntl.h>
#include <system_error>

namespace wildcert::config {

Result<std::string> read_small_file(const std::filesystem::path& path, std::size_t max_bytes) {
    auto content = read_regular_file(AT_FDCWD, path, max_bytes, Symlinks::follow);
    if (!content.ok())
        return make_error(ErrorKind::profile, content.error().message);
    if (!*content)
        return make_error(ErrorKind::profile, std::system_category().message(ENOENT));
    return std::move(**content);
}

} // namespace wildcert::config
