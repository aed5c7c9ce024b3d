#pragma once
// A private scratch folder for one test case, removed with everything in it at scope exit.

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

namespace wildcert::test {

class TempDir {
public:
    TempDir() {
        // mkdtemp: unique even across parallel test processes, and created 0700.
        auto pattern = (std::filesystem::temp_directory_path() / "wildcert-test.XXXXXX").string();
        const char* made = ::mkdtemp(pattern.data());
        if (made == nullptr)
            throw std::runtime_error("mkdtemp failed for " + pattern);
        m_path = made;
    }
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(m_path, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    [[nodiscard]] const std::filesystem::path& path() const { return m_path; }

    // Writes `content` to `name` (relative to the folder, parents created) and returns its path.
    std::filesystem::path write(const std::string& name, const std::string& content) const {
        const std::filesystem::path file = m_path / name;
        std::filesystem::create_directories(file.parent_path());
        std::ofstream out(file, std::ios::binary);
        out << content;
        return file;
    }

private:
    std::filesystem::path m_path;
};

} // namespace wildcert::test
