#include "cli/completion_script.hpp"

namespace wildcert::cli {

std::vector<std::string> completion_shells() {
    return {"bash", "zsh", "fish"};
}

std::optional<std::string> completion_script(std::string_view shell) {
    if (shell == "bash")
        return bash_completion_script();
    if (shell == "zsh")
        return zsh_completion_script();
    if (shell == "fish")
        return fish_completion_script();
    return std::nullopt;
}

} // namespace wildcert::cli
