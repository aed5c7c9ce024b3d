// Runs a fuzz target's LLVMFuzzerTestOneInput over every file in the folders given as
// arguments, so that the normal (gcc, and in CI sanitizer) build replays the seed corpus and
// every committed crash input as a unit test. A missing folder is an error: a test that
// replays nothing must not pass by accident.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

bool is_input(const std::filesystem::directory_entry& entry) {
    // README files explain the folder; they are not inputs.
    return entry.is_regular_file() && entry.path().filename().string().rfind("README", 0) != 0;
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s FOLDER...\n", argv[0]);
        return 2;
    }
    std::size_t count = 0;
    for (int i = 1; i < argc; ++i) {
        std::error_code error;
        std::vector<std::filesystem::path> files;
        for (const auto& entry : std::filesystem::directory_iterator(argv[i], error)) {
            if (is_input(entry))
                files.push_back(entry.path());
        }
        if (error) {
            std::fprintf(stderr, "%s: %s\n", argv[i], error.message().c_str());
            return 1;
        }
        std::sort(files.begin(), files.end());
        for (const auto& path : files) {
            std::ifstream in(path, std::ios::binary);
            const std::vector<char> bytes{std::istreambuf_iterator<char>(in),
                                          std::istreambuf_iterator<char>()};
            if (!in.good() && !in.eof()) {
                std::fprintf(stderr, "%s: cannot read\n", path.c_str());
                return 1;
            }
            // A copy of exactly the file's size, so that ASan sees any read past the end.
            std::vector<std::uint8_t> input(bytes.begin(), bytes.end());
            (void)LLVMFuzzerTestOneInput(input.data(), input.size());
            ++count;
        }
    }
    std::printf("replayed %zu inputs\n", count);
    return count > 0 ? 0 : 1;
}
