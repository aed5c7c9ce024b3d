#include "config/small_file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <system_error>

namespace wildcert::config {
namespace {

struct FileCloser {
    void operator()(std::FILE* file) const { std::fclose(file); }
};
using FileHandle = std::unique_ptr<std::FILE, FileCloser>;

Error read_error(int error_number) {
    return make_error(ErrorKind::profile, std::strerror(error_number));
}

} // namespace

Result<std::string> read_small_file(const std::filesystem::path& path, std::size_t max_bytes) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        return make_error(ErrorKind::profile, "is a directory, not a file");

    const FileHandle file(std::fopen(path.c_str(), "rb"));
    if (!file)
        return read_error(errno);

    std::string content;
    char buffer[4096];
    for (;;) {
        const std::size_t got = std::fread(buffer, 1, sizeof buffer, file.get());
        content.append(buffer, got);
        if (content.size() > max_bytes) {
            return make_error(ErrorKind::profile,
                              "is larger than " + std::to_string(max_bytes) + " bytes");
        }
        if (got < sizeof buffer)
            break;
    }
    if (std::ferror(file.get()))
        return read_error(errno != 0 ? errno : EIO);
    return content;
}

} // namespace wildcert::config
