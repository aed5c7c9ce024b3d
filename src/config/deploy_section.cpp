#include "config/sections.hpp"

namespace wildcert::config {

// Placeholder until [[certificate.deploy]] is parsed: the key is refused, not ignored.
Result<std::vector<DeploySettings>> read_deploy_tables(TableReader& certificate) {
    if (const Node* node = certificate.find("deploy"))
        return certificate.error(node->line, "deploy", "is not supported yet");
    return std::vector<DeploySettings>{};
}

} // namespace wildcert::config
