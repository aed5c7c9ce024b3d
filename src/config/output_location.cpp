#include "config/output_location.hpp"

#include <algorithm>
#include <system_error>

namespace wildcert::config {
namespace {

namespace fs = std::filesystem;

// The path with every symlink of its existing part resolved; as given when that fails.
fs::path resolved(const fs::path& path) {
    std::error_code error;
    fs::path real = fs::weakly_canonical(fs::absolute(path, error), error);
    return error ? path.lexically_normal() : real;
}

bool is_within(const fs::path& path, const fs::path& folder) {
    const auto [folder_end, path_at] =
        std::mismatch(folder.begin(), folder.end(), path.begin(), path.end());
    // A trailing separator of `folder` shows up as an empty last element.
    return folder_end == folder.end() ||
           (std::next(folder_end) == folder.end() && folder_end->empty());
}

} // namespace

Result<void> check_outputs_outside(const Profile& profile, const fs::path& state_root) {
    const fs::path root = resolved(state_root);
    for (const CertificateSettings& certificate : profile.certificates) {
        for (const OutputSettings& output : certificate.outputs) {
            if (!is_within(resolved(output.path), root))
                continue;
            return make_error(ErrorKind::profile,
                              output.path_origin + ": " + output.path.string() +
                                  " is inside the state directory " + state_root.string() +
                                  ", where it could overwrite wildcert's own files (a private "
                                  "key); write outputs somewhere else");
        }
    }
    return {};
}

} // namespace wildcert::config
