// wildcert-docs PAGE: prints wildcert(1) ("man1") or wildcert.toml(5) ("man5") in roff, or the
// completion script of "bash", "zsh" or "fish", for the build to install (doc/meson.build).
// All come from the tables the program runs on.
#include "cli/completion_script.hpp"
#include "cli/man_page.hpp"

#include <iostream>
#include <string_view>

int main(int argc, char** argv) {
    const std::string_view page = argc == 2 ? argv[1] : "";
    if (page == "man1") {
        std::cout << wildcert::cli::command_man_page();
    } else if (page == "man5") {
        std::cout << wildcert::cli::profile_man_page();
    } else if (const auto script = wildcert::cli::completion_script(page)) {
        std::cout << *script;
    } else {
        std::cerr << "usage: wildcert-docs man1|man5|bash|zsh|fish\n";
        return 2;
    }
    return 0;
}
