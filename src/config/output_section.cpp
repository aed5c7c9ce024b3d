#include "config/sections.hpp"

namespace wildcert::config {

// Placeholder until [[certificate.output]] is parsed: the key is refused, not ignored.
Result<std::vector<OutputSettings>> read_output_tables(TableReader& certificate) {
    if (const Node* node = certificate.find("output"))
        return certificate.error(node->line, "output", "is not supported yet");
    return std::vector<OutputSettings>{};
}

} // namespace wildcert::config
