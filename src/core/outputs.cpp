#include "core/outputs.hpp"

namespace wildcert::core {

// Placeholder: replaced by the outputs branch.
Result<std::vector<std::filesystem::path>> write_outputs(const CertificateSettings&,
                                                         const store::CertificateFiles&) {
    return std::vector<std::filesystem::path>{};
}

} // namespace wildcert::core
