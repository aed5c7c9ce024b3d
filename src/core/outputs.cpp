#include "core/outputs.hpp"

#include "core/output_content.hpp"
#include "store/atomic_file.hpp"

#include <utility>

namespace wildcert::core {

Result<std::vector<std::filesystem::path>> write_outputs(const CertificateSettings& certificate,
                                                         const store::CertificateFiles& files) {
    std::vector<std::filesystem::path> written;
    for (const OutputSettings& output : certificate.outputs) {
        // Names the file and the profile line; the content (a key) and password stay out.
        const std::string context = "output " + output.path.string() + " (" + output.origin + ")";
        auto content = output_content(output, certificate.name, files);
        if (!content.ok())
            return content.error().with_context(context);
        const auto stored = store::write_file_atomically(output.path, *content, output.mode);
        if (!stored.ok())
            return stored.error().with_context(context);
        written.push_back(output.path);
    }
    return written;
}

} // namespace wildcert::core
